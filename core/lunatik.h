/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LUNATIK_H
#define LUNATIK_H

#define LUNATIK_VERSION_NUM	"0.1"
#define LUNATIK_VERSION		"lunatik " LUNATIK_VERSION_NUM

#endif
