import Testing

@testable import TailwartCore

/// Chunks cover every index once, in order, whatever the thread timing.
struct ParallelChunksTests {
  @Test(arguments: [0, 1, 31, 32, 65, 1_000, 10_007])
  func chunksCoverEveryIndexInOrder(_ count: Int) {
    let ranges = ParallelChunks.map(count) { $0 }
    #expect(ranges.flatMap { Array($0) } == Array(0..<count))
    #expect(ranges.allSatisfy { !$0.isEmpty } || count == 0)
  }

  @Test func resultsComeBackInChunkOrder() {
    let sums = ParallelChunks.map(10_000) { range in range.reduce(0, +) }
    #expect(sums.reduce(0, +) == (0..<10_000).reduce(0, +))
    #expect(sums == sums.sorted(), "later chunks hold larger numbers")
  }
}
