/*
 * Reference model shared by the engine's unit tests and fuzz harnesses
 */

#ifndef PUSH_CP_MODEL_H
#define PUSH_CP_MODEL_H

#include <stddef.h>

/*
 * The intact part of a stored encoding e[0..n), n > 0, as a valid encoding
 * in out[0..size), size >= max(n, 32): the tags readable in sequence (at most CP_MAX_PARAMS),
 * each kept when every earlier readable tag sorts strictly before it and it
 * validates alone; a filler tag no predicate can name when none is kept.
 * The engine must judge e exactly as it judges this part. Returns its
 * length, or 0 when out is too small or the reader broke an invariant.
 */
size_t cp_model_intact(const char *e, size_t n, char *out, size_t size);

#endif /* PUSH_CP_MODEL_H */
