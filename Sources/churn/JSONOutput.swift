import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON as printed for scripts: the product's one configuration (`WireJSON`), indented unless asked otherwise.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        try WireJSON.encoder(pretty: pretty).encode(value)
    }
}
