import Dispatch
import Foundation

/// Splits work over contiguous chunks of `0..<count`, or over a list of
/// parts, side by side on every core, and returns each one's result in
/// order, so what they produce is assembled the same way whatever the
/// scheduling: the site's bytes never depend on which thread finished first.
enum ParallelChunks {
  /// Below this many items per chunk, threads cost more than they save.
  static let minimumChunk = 32

  static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// A few chunks per core: a core that is done early (or that another
  /// process held up) takes the next chunk instead of waiting for the
  /// slowest.
  static func map<T>(_ count: Int, _ body: (Range<Int>) -> T) -> [T] {
    let chunks = ranges(count, pieces: 4 * cores)
    return each(chunks.count) { body(chunks[$0]) }
  }

  /// `0..<count` in at most `pieces` contiguous ranges of similar size, none
  /// shorter than `minimumChunk` (one range, maybe empty, for short work).
  static func ranges(_ count: Int, pieces: Int) -> [Range<Int>] {
    let chunks = max(1, min(pieces, count / minimumChunk))
    return (0..<chunks).map { k in (count * k / chunks)..<(count * (k + 1) / chunks) }
  }

  /// Runs `body` for each of `0..<count` as a task of its own (the first
  /// ones start first) and returns the results in index order.
  static func each<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    if count == 1 { return [body(0)] }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer {
      _ = results.deinitialize()
      results.deallocate()
    }
    // The caller promises that tasks touch disjoint data (and read only
    // what nobody writes, or what is locked); each task stores only into
    // its own slot.
    withoutActuallyEscaping(body) { body in
      let shared = Unchecked((body, results))
      DispatchQueue.concurrentPerform(iterations: count) { k in
        let (body, results) = shared.value
        results[k] = body(k)
      }
    }
    return results.map { $0! }
  }

  /// Carries the tasks' closure and result slots into Dispatch's
  /// `@Sendable` closure; the contract above is what makes that safe.
  private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
  }
}
