#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// printf-style formatting through the C library's `vsnprintf`, for numbers (`%.3f`, `%5.1f%%`, `%ld`, `%02X`):
    /// what full Foundation's `String(format:)` did here, without loading Foundation and ICU. There is no `%@`;
    /// interpolate strings instead. Swift `Int` is 64-bit: prefer `%ld` (`%d` reads the low 32 bits).
    public init(cFormat format: String, _ arguments: CVarArg...) {
        self = Self.printf(format, arguments)
    }

    private static func printf(_ format: String, _ arguments: [CVarArg]) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 128)
            let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
            if needed < buffer.count { return String(decoding: buffer[..<Swift.max(needed, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            // Longer than the first guess: the va_list is spent, so format once more from the top.
            return withVaList(arguments) { again in
                buffer = [CChar](repeating: 0, count: needed + 1)
                _ = vsnprintf(&buffer, buffer.count, format, again)
                return String(decoding: buffer[..<needed].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }
}
