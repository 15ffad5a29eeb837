/* hash: BLAKE2b-256 of files and buffers, as lowercase hex (64 characters). */
#ifndef GW_SYNC_HASH_H
#define GW_SYNC_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SYNC_HASH_HEX 65

/* Hashes a file as a stream; sets *size. On failure a one-line error names the file. */
int sync_hash_file(const char *path, char hex[SYNC_HASH_HEX], int64_t *size);
void sync_hash_buf(const void *data, size_t len, char hex[SYNC_HASH_HEX]);

#endif
