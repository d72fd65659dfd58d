#ifndef TAILWART_CCMARK_NODE_H
#define TAILWART_CCMARK_NODE_H

#include <stdint.h>

/// The literal of a text, code, HTML or code block node as the bytes
/// cmark-gfm holds (not NUL-terminated), without the copy into a new C
/// string that `cmark_node_get_literal` makes the first time; NULL with
/// length 0 for other nodes. `node` is a `cmark_node *`.
const unsigned char *tailwart_node_literal(const void *node, int32_t *length);

#endif
