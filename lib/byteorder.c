// SPDX-License-Identifier: GPL-2.0
/*
 * byteorder: conversions between host, network (big-endian) and
 * little-endian order of 16, 32 and 64-bit integers.
 *
 *	hton16/32/64, ntoh16/32/64 (network order is big-endian),
 *	htobe16/32/64, htole16/32/64, be16/32/64toh, le16/32/64toh
 *
 * The argument's low 16, 32 or 64 bits are converted (as a C cast would
 * truncate); 16 and 32-bit results are unsigned, 64-bit results wrap to
 * Lua's signed integers.
 */
#include <linux/module.h>
#include <asm/byteorder.h>

#include "lunatik.h"

#define BYTEORDER(name, type, conv)					\
static int byteorder_##name(lua_State *L)				\
{									\
	type v = (type)luaL_checkinteger(L, 1);				\
									\
	lua_pushinteger(L, (lua_Integer)(type)conv(v));			\
	return 1;							\
}

/* The casts keep sparse's bitwise types quiet. */
#define TO_BE16(v)	((__force u16)cpu_to_be16(v))
#define TO_BE32(v)	((__force u32)cpu_to_be32(v))
#define TO_BE64(v)	((__force u64)cpu_to_be64(v))
#define TO_LE16(v)	((__force u16)cpu_to_le16(v))
#define TO_LE32(v)	((__force u32)cpu_to_le32(v))
#define TO_LE64(v)	((__force u64)cpu_to_le64(v))
#define FROM_BE16(v)	be16_to_cpu((__force __be16)(v))
#define FROM_BE32(v)	be32_to_cpu((__force __be32)(v))
#define FROM_BE64(v)	be64_to_cpu((__force __be64)(v))
#define FROM_LE16(v)	le16_to_cpu((__force __le16)(v))
#define FROM_LE32(v)	le32_to_cpu((__force __le32)(v))
#define FROM_LE64(v)	le64_to_cpu((__force __le64)(v))

BYTEORDER(htobe16, u16, TO_BE16)
BYTEORDER(htobe32, u32, TO_BE32)
BYTEORDER(htobe64, u64, TO_BE64)
BYTEORDER(htole16, u16, TO_LE16)
BYTEORDER(htole32, u32, TO_LE32)
BYTEORDER(htole64, u64, TO_LE64)
BYTEORDER(be16toh, u16, FROM_BE16)
BYTEORDER(be32toh, u32, FROM_BE32)
BYTEORDER(be64toh, u64, FROM_BE64)
BYTEORDER(le16toh, u16, FROM_LE16)
BYTEORDER(le32toh, u32, FROM_LE32)
BYTEORDER(le64toh, u64, FROM_LE64)

static const luaL_Reg byteorder_funcs[] = {
	{ "htobe16", byteorder_htobe16 },
	{ "htobe32", byteorder_htobe32 },
	{ "htobe64", byteorder_htobe64 },
	{ "htole16", byteorder_htole16 },
	{ "htole32", byteorder_htole32 },
	{ "htole64", byteorder_htole64 },
	{ "be16toh", byteorder_be16toh },
	{ "be32toh", byteorder_be32toh },
	{ "be64toh", byteorder_be64toh },
	{ "le16toh", byteorder_le16toh },
	{ "le32toh", byteorder_le32toh },
	{ "le64toh", byteorder_le64toh },
	/* network order is big-endian */
	{ "hton16", byteorder_htobe16 },
	{ "hton32", byteorder_htobe32 },
	{ "hton64", byteorder_htobe64 },
	{ "ntoh16", byteorder_be16toh },
	{ "ntoh32", byteorder_be32toh },
	{ "ntoh64", byteorder_be64toh },
	{ NULL, NULL }
};

static int luaopen_byteorder(lua_State *L)
{
	luaL_newlib(L, byteorder_funcs);
	return 1;
}

LUNATIK_LIB(byteorder, luaopen_byteorder);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the byteorder library");
