/// Hrefs from the pages of one folder of the site, each worked out once:
/// an href depends only on the folder a page sits in, and thousands of
/// lesson pages (all in `lessons/`) link to the same few hundred targets.
struct FolderLinks {
  /// Any page of the folder.
  let page: String
  private var known: [String: String] = [:]

  init(page: String) { self.page = page }

  /// `SitePath.relative(from: page, to: target)`, for any page of the folder.
  mutating func href(to target: String) -> String {
    if let href = known[target] { return href }
    let href = SitePath.relative(from: page, to: target)
    known[target] = href
    return href
  }
}
