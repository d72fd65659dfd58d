import Dispatch
import Foundation

/// Splits work over contiguous chunks of `0..<count`, one per core, and
/// returns each chunk's result in chunk order, so what the chunks produce
/// is assembled the same way whatever the scheduling: the site's bytes
/// never depend on which thread finished first.
enum ParallelChunks {
  /// Below this many items per chunk, threads cost more than they save.
  static let minimumChunk = 32

  static func map<T>(_ count: Int, _ body: (Range<Int>) -> T) -> [T] {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunks = max(1, min(cores, count / minimumChunk))
    if chunks == 1 { return [body(0..<count)] }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: chunks)
    results.initialize(repeating: nil)
    defer {
      _ = results.deinitialize()
      results.deallocate()
    }
    // The caller promises that chunks touch disjoint data (and read only
    // what nobody writes); each chunk stores only into its own slot.
    withoutActuallyEscaping(body) { body in
      let shared = Unchecked((body, results))
      DispatchQueue.concurrentPerform(iterations: chunks) { k in
        let (body, results) = shared.value
        results[k] = body((count * k / chunks)..<(count * (k + 1) / chunks))
      }
    }
    return results.map { $0! }
  }

  /// Carries the chunks' closure and result slots into Dispatch's
  /// `@Sendable` closure; `map`'s contract is what makes that safe.
  private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
  }
}
