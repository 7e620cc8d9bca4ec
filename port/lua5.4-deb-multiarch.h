/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Debian's luaconf.h includes this header, which Debian's build generates.
 * The paths it feeds are replaced by lportconf.h, so any value will do.
 */
#ifndef _LPORT_DEB_MULTIARCH_H
#define _LPORT_DEB_MULTIARCH_H
#define DEB_HOST_MULTIARCH "unused"
#endif
