extension CustomerDecoder {
    /// The customer id of a JSON customer object as `decode` reads it ("" when absent or not a string or
    /// number), so a request can be routed to a model before it is decoded.
    public func customerID(in value: JSONValue) -> String {
        switch value[idColumn] {
        case .string(let s)?: return s
        case .number(_, let literal)?: return literal
        default: return ""
        }
    }
}
