// Reads cmark-gfm's node struct, from the headers libcmark-gfm-dev installs
// for syntax extensions (kept out of the Swift module's headers, where a
// complete `cmark_node` would change how every cmark call is imported).
// The headers come from the same package version as the library, and the
// library's file name carries that version, so the layout read here is the
// layout of the library loaded at run time.
#include "CCmarkNode.h"

#include <cmark-gfm/node.h>

const unsigned char *tailwart_node_literal(const void *opaque, int32_t *length) {
  const cmark_node *node = opaque;
  const cmark_chunk *chunk;
  switch (node->type) {
  case CMARK_NODE_HTML_BLOCK:
  case CMARK_NODE_TEXT:
  case CMARK_NODE_HTML_INLINE:
  case CMARK_NODE_CODE:
  case CMARK_NODE_FOOTNOTE_REFERENCE:
    chunk = &node->as.literal;
    break;
  case CMARK_NODE_CODE_BLOCK:
    chunk = &node->as.code.literal;
    break;
  default:
    *length = 0;
    return NULL;
  }
  *length = chunk->len;
  return chunk->data;
}
