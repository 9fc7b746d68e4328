/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * For the config and control-socket fuzz targets: while nofs_begin() ..
 * nofs_end() brackets a parse, fopen() fails with ENOENT (the binary is
 * linked with -Wl,--wrap=fopen), so a fuzzed "psk-file = /dev/zero" or
 * "password-file = ..." never reads a real file, and the parser's messages
 * (cfg_error() writes them to stderr) go to /dev/null instead of flooding
 * the log. The parsers open nothing else (no state dir, no sockets).
 */
#ifndef EVPN_FUZZ_NOFS_H
#define EVPN_FUZZ_NOFS_H

void nofs_begin(void);
void nofs_end(void);

#endif /* EVPN_FUZZ_NOFS_H */
