internal import CCmarkGFM
import Glibc
import Synchronization

/// Lets parsers read their inlines side by side.
///
/// cmark-gfm keeps the characters that start an extension's inline syntax
/// (`~` for strikethrough, `:` and `w` for autolinks, `|` for tables) in
/// one table for the whole process: each parser sets them when its inline
/// pass starts and clears them when it ends, so a parser that ends clears
/// them under any other still reading its inlines, which then misses that
/// syntax. The library calls the function that sets and clears them through
/// its procedure linkage table, so this executable's function of the same
/// name is the one it calls: it sets the characters when the first parser
/// starts and clears them when the last one ends, and the table holds them
/// for as long as any parser reads. Every parser in the process attaches
/// the same extensions (`MarkdownDocument.extensionNames`), so any of them
/// sets and clears the same characters.
///
/// Where the library does not call through here (a build that binds its
/// own calls), parsers finish one at a time instead: see
/// `MarkdownDocument.finishesSideBySide`.
enum InlineCharacters {
  typealias Manage = @convention(c) (OpaquePointer?, Int32) -> Void

  /// The library's own function, the next definition after this
  /// executable's (`RTLD_NEXT`).
  static let library: Manage? = dlsym(
    UnsafeMutableRawPointer(bitPattern: -1), "cmark_manage_extensions_special_characters"
  )
  .map { unsafeBitCast($0, to: Manage.self) }

  struct State {
    /// Parsers between the start and the end of their inline pass.
    var reading = 0
    /// Whether the library has called here at all.
    var called = false
  }

  static let state = Mutex(State())

  /// What the library calls at the start (`add` 1) and end (`add` 0) of a
  /// parser's inline pass.
  static func manage(_ parser: OpaquePointer?, add: Bool) {
    guard let library else {
      // Unreachable: the library calls here only because it defines the
      // function. Carrying on would drop the extensions' syntax silently.
      preconditionFailure("libcmark-gfm calls cmark_manage_extensions_special_characters, which it does not define")
    }
    state.withLock { state in
      state.called = true
      if add {
        if state.reading == 0 { library(parser, 1) }
        state.reading += 1
      } else {
        state.reading -= 1
        if state.reading == 0 { library(parser, 0) }
      }
    }
  }
}

/// libcmark-gfm's call, answered by `InlineCharacters`; for the library
/// only. (Public so that the linker exports it from the executable, where
/// the library's calls bind to it.)
@_cdecl("cmark_manage_extensions_special_characters")
public func cmarkManageExtensionsSpecialCharacters(_ parser: OpaquePointer?, _ add: Int32) {
  InlineCharacters.manage(parser, add: add != 0)
}
