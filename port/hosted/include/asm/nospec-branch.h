/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
#define ANNOTATE_RETPOLINE_SAFE
