#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import ChurnBase

/// A duration on the command line: "500ms", "15s", "2m", or a plain number of seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: Double

    init?(argument: String) {
        let text = argument.trimmingWhitespace(newlines: false).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let v = Double(text.dropLast(suffix.count)), v.isFinite, v > 0 else { return nil }
            seconds = v * factor
            return
        }
        guard let v = Double(text), v.isFinite, v > 0 else { return nil }
        seconds = v
    }

    init(seconds: Double) { self.seconds = seconds }

    var defaultValueDescription: String { seconds < 1 ? "\(Int(seconds * 1000))ms" : "\(Int(seconds))s" }
}
