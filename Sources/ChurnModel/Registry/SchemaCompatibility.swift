extension Schema {
    /// Why a model with this schema cannot replace one with `serving` without breaking its clients, or nil.
    ///
    /// Clients send the columns the served model asks for; a new model that needs a column they do not send, or
    /// reads a column as another kind, would answer them 422, and a different id column would break canary
    /// routing and feedback joins. Categories may differ: an unseen category is a per-row problem, not an outage.
    public func compatibilityProblem(replacing serving: Schema) -> String? {
        var servingKinds: [String: ColumnKind] = [:]
        for c in serving.features { servingKinds[c.name] = c.kind }
        let missing = features.filter { servingKinds[$0.name] == nil }.map(\.name)
        if !missing.isEmpty {
            return "it needs column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) that clients of the served model do not send"
        }
        for c in features where servingKinds[c.name] != c.kind {
            return "it reads column \(c.name) as \(c.kind.rawValue), the served model as \(servingKinds[c.name]!.rawValue)"
        }
        if (idColumn ?? "") != (serving.idColumn ?? "") {
            return "its id column is '\(idColumn ?? "none")', the served model's is '\(serving.idColumn ?? "none")'"
        }
        return nil
    }
}
