/// Which characters the console may draw: UTF-8 box drawing, blocks and braille, or plain ASCII.
public enum Charset: String, Sendable, Equatable {
    case utf8
    case ascii
}
