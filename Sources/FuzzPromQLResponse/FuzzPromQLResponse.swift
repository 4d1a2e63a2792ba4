import FuzzHarness

/// libFuzzer's entry point: built only by scripts/fuzz/run (`CHURN_FUZZ=1 swift build --sanitize fuzzer`).
/// A broken invariant traps, so libFuzzer saves the input as a crash like any other.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPromQLResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    if let broken = PromQLResponseFuzz.run(input) { fatalError(broken) }
    return 0
}
