/// The value of one ASCII hexadecimal digit (`0-9`, `A-F`, `a-f`), nil for any other byte: what the JSON readers
/// decode `\uXXXX` escapes with.
@inline(__always)
public func hexDigitValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: return UInt32(byte - 0x30)
    case 0x41...0x46: return UInt32(byte - 0x41 + 10)
    case 0x61...0x66: return UInt32(byte - 0x61 + 10)
    default: return nil
    }
}
