/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * lportconf.h - build-time configuration of Lua for lunatik.
 *
 * Included at the end of luaconf.h (patch 0001), so every definition here
 * overrides Lua's default.  The same settings are used by the kernel build
 * and by the hosted (user-space) build, so that the language tests and the
 * fuzzer exercise exactly what runs in the kernel.
 */
#ifndef lportconf_h
#define lportconf_h

/*
 * Numbers are 64-bit integers only.
 *
 * lua_Number becomes the same type as lua_Integer.  The lexer refuses float
 * literals (patch 0002), '/' compiles to floor division (0003), strings
 * never convert to a float (lua_str2number below always fails), and C
 * functions cannot push one (0004): so the float subtype never appears and
 * the kernel build contains no floating-point instruction.  The float code
 * paths of the VM still compile; the macros below keep them free of traps
 * (division by zero, INT64_MIN / -1) and of signed-overflow UB.
 */
#undef LUA_NUMBER
#define LUA_NUMBER		LUA_INTEGER
#undef LUAI_UACNUMBER
#define LUAI_UACNUMBER		LUAI_UACINT
#undef LUA_NUMBER_FRMLEN
#define LUA_NUMBER_FRMLEN	LUA_INTEGER_FRMLEN
#undef LUA_NUMBER_FMT
#define LUA_NUMBER_FMT		LUA_INTEGER_FMT
#undef LUAI_NUMFFORMAT
#define LUAI_NUMFFORMAT		LUA_INTEGER_FMT
#undef l_floatatt
#define l_floatatt(n)		(LPORT_INT_##n)
#define LPORT_INT_MANT_DIG	64	/* every integer "fits in a float" */
#define LPORT_INT_MAX_10_EXP	19
#undef l_floor
#define l_floor(x)		(x)
#undef lua_number2str
#define lua_number2str(s, sz, n)	lua_integer2str(s, sz, n)
#undef lua_numbertointeger
#define lua_numbertointeger(n, p)	((*(p) = (LUA_INTEGER)(n)), 1)
/* no numeral converts to a float: report "nothing read" */
#undef lua_str2number
#define lua_str2number(s, p)	((lua_Number)((*(p) = (char *)(s)), 0))
#undef lua_strx2number
#define lua_strx2number(s, p)	lua_str2number(s, p)
#undef lua_getlocaledecpoint
#define lua_getlocaledecpoint()	'.'
#undef LUAI_MAXALIGN
#define LUAI_MAXALIGN	lua_Number n; void *s; lua_Integer i; long l

/* float ops on integers: wrap around, and divide through the checked path */
#define luai_numadd(L, a, b)	((lua_Number)((LUA_UNSIGNED)(a) + \
						      (LUA_UNSIGNED)(b)))
#define luai_numsub(L, a, b)	((lua_Number)((LUA_UNSIGNED)(a) - \
						      (LUA_UNSIGNED)(b)))
#define luai_nummul(L, a, b)	((lua_Number)((LUA_UNSIGNED)(a) * \
						      (LUA_UNSIGNED)(b)))
#define luai_numunm(L, a)	((lua_Number)(0u - (LUA_UNSIGNED)(a)))
#define luai_numeq(a, b)	((a) == (b))
#define luai_numlt(a, b)	((a) < (b))
#define luai_numle(a, b)	((a) <= (b))
#define luai_numgt(a, b)	((a) > (b))
#define luai_numge(a, b)	((a) >= (b))
#define luai_numisnan(a)	((void)(a), 0)
/* luaV_idiv/luaV_mod raise on zero and handle LUA_MININTEGER / -1 */
#define luai_numidiv(L, a, b)	luaV_idiv(L, a, b)
#define luai_numdiv(L, a, b)	luaV_idiv(L, a, b)
#define luai_nummod(L, a, b, m)	{ (m) = luaV_mod(L, a, b); }
#define luai_numpow(L, a, b) \
	((void)(a), (void)(b), \
	 luaG_runerror(L, "exponentiation is not supported"), (lua_Number)0)

/*
 * Stack depth.
 *
 * A kernel stack is 16 KiB (THREAD_SIZE with KASAN off) with a guard page
 * below, and one C level of Lua costs from 150 bytes (a metamethod) to
 * nearly 1 KiB (string.gsub calling back into Lua): counting levels cannot
 * bound the stack.  So Lua checks the stack pointer itself (patch 0009):
 * at every call through luaD_call/luaD_callnoyield, resumed coroutine,
 * parser entry and nesting level and pattern-matcher recursion,
 * lport_stackcheck() raises "C stack overflow" ("pattern too complex" in
 * a deep matcher recursion) once the stack pointer is within
 * LPORT_STACK_MARGIN of the state's stack floor (struct lport_mem,
 * stack_limit).  The margin is left for what runs below a check: the
 * deepest stretch between two checks, the error path, the allocator and
 * the kernel under it (see lport.c for the numbers).
 *
 * The counters below then only bound memory and time, as in stock Lua.
 */
#define LUAI_MAXCCALLS		200
#define MAXCCALLS		200	/* pattern-matching recursion */
#define LUA_MAXCAPTURES		32
#undef LUAL_BUFFERSIZE
#define LUAL_BUFFERSIZE		256	/* on the stack: keep str_gsub < 1 KiB */
struct lua_State;
void lport_stackcheck(struct lua_State *L, const char *msg);
#define luai_stackcheck(L)	lport_stackcheck(L, "C stack overflow")
/* the matcher is to blame when it recursed deep (not in string.gsub's
 * callback recursion) */
/* the matcher also ticks the budget: backtracking can take long */
void lport_budgettick(struct lua_State *L);
#define luai_patterncheck(L, depth) \
	(lport_budgettick(L), \
	 lport_stackcheck(L, (depth) > 32 ? "pattern too complex" : \
			  "C stack overflow"))
#undef BUFSIZ
#define BUFSIZ			512	/* luaL_loadfilex reads through it */

/*
 * Lua's own stack (slots, not the C stack): 1,000,000 by default, i.e.
 * 16 MiB and as many CallInfo blocks for a runaway recursion, which the
 * sanitizer kernel then spends tens of seconds freeing.  A kernel script
 * recursing 100,000 deep is already a bug.
 */
#undef LUAI_MAXSTACK
#define LUAI_MAXSTACK		100000

/* modules: Lua files in /lib/modules/lua only, C bindings via preload */
#undef LUA_PATH_DEFAULT
#define LUA_PATH_DEFAULT \
	"/lib/modules/lua/?.lua;/lib/modules/lua/?/init.lua"
#undef LUA_CPATH_DEFAULT
#define LUA_CPATH_DEFAULT	""

/* output: print() goes through these (kernel log in the kernel) */
void lport_writestring(const char *s, size_t len);
void lport_writeerror(const char *fmt, const char *s);
#define lua_writestring(s, l)		lport_writestring((s), (l))
#define lua_writeline()			lport_writestring("\n", 1)
#define lua_writestringerror(s, p)	lport_writeerror((s), (p))

#ifdef __KERNEL__
/*
 * objtool (6.1) only knows the kernel's own noreturn functions: a call to
 * a Lua noreturn function in another object, left as the last instruction
 * of a function, reads to it as falling through to the next function.
 * Declared as plain void, the compiler keeps a normal epilogue after them.
 */
#define l_noret			void

/*
 * Dispatch with computed gotos (Lua's default with GCC, ljumptab.h).  With
 * retpolines each goto is a jump through the retpoline thunk (the
 * mitigation stays); objtool follows it to the table's targets only when
 * the table is in the section it knows, as for the BPF interpreter (patch
 * 0011; port/Kbuild.inc builds lvm.o with -fno-gcse, as for BPF's).
 * A switch would be compiled without a jump table (kbuild passes
 * -fno-jump-tables with retpolines): a tree of ~7 compares and branches
 * per Lua instruction (a tight loop: ~30 % more instructions, ~15 % more
 * time under QEMU/TCG; docs/benchmarks.md).
 */
#define luai_jumptable		__annotate_jump_table

unsigned int lport_makeseed(void);
#define luai_makeseed(L)	((void)(L), lport_makeseed())
#endif /* __KERNEL__ */

#if defined(__KERNEL__) || defined(LPORT_SETJMP)
/*
 * Errors unwind with our own setjmp/longjmp (port/setjmp_x86_64.S; the
 * hosted stack meter uses it too).  lport_longjmp is deliberately not
 * declared noreturn: objtool (6.1) does not know it never returns and
 * would report the call as falling off the end of luaD_throw.  The
 * unreachable() that follows tells both the compiler and objtool.
 */
typedef unsigned long lport_jmp_buf[8];	/* rbx rbp r12-r15 rsp rip */
int lport_setjmp(lport_jmp_buf env) __attribute__((returns_twice));
void lport_longjmp(lport_jmp_buf env, int val);
#ifdef __KERNEL__
#include <linux/compiler.h>
#define lport_unreachable()	unreachable()
#else
#define lport_unreachable()	__builtin_unreachable()
#endif
#define luai_jmpbuf		lport_jmp_buf
#ifdef __KERNEL__
void lport_throw(lport_jmp_buf env);	/* port/lthrow.c: KASAN-aware */
#define LUAI_THROW(L, c)	do { lport_throw((c)->b); \
				     lport_unreachable(); } while (0)
#else
#define LUAI_THROW(L, c)	do { lport_longjmp((c)->b, 1); \
				     lport_unreachable(); } while (0)
#endif
#define LUAI_TRY(L, c, a)	if (lport_setjmp((c)->b) == 0) { a }
#endif

/*
 * Budget (patch 0010): the VM decrements a counter at every loop back edge
 * and Lua call, and calls lport_budget() when it runs out.  The counter is
 * the first member of struct lport_mem, the allocator's ud (port/lport.h).
 */
void lport_budget(struct lua_State *L);
#define luai_budgetticks(L)	(*(int *)G(L)->ud)
#define luai_budget(L)		lport_budget(L)

/* the dispatch table's placement (patch 0011): nothing special here */
#ifndef luai_jumptable
#define luai_jumptable
#endif

#endif /* lportconf_h */
