extension CustomerDecoder {
    /// The customer id of a JSON customer object as `decode` reads it ("" when absent or not a string or
    /// number), so a request can be routed to a model before it is decoded.
    public func customerID(in value: JSONValue) -> String {
        switch value[idColumn] {
        case .string(let s)?: return s
        case .number(let n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        default: return ""
        }
    }
}
