#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

// Debian's headers do not export the extension node-type globals
// (CMARK_NODE_TABLE, ...); extension nodes are told apart by
// cmark_node_get_type_string() instead, which also avoids reading mutable C
// globals from Swift 6 concurrent code.
