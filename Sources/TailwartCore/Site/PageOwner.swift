/// Which page a part of the lessons document ends up on: the index (the
/// text before the first lesson or section) or one entry's page.
enum PageOwner: Hashable, Sendable {
  case index
  case entry(Int)
}
