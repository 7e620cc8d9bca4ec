// SPDX-License-Identifier: GPL-2.0
/*
 * socket: kernel sockets (IPv4, IPv6, unix, packet, netlink) for process
 * runtimes.
 *
 *	local s = socket.new(socket.af.INET6, socket.sock.DGRAM, 0)
 *	s:bind("::1", 5000)
 *	local msg, addr, port = s:receive(1500, 0, true)
 *	s:send(msg, addr, port)
 *	s:close()
 *
 * Addresses follow the socket's family: IPv4 an integer (host order) or a
 * dotted string, then a port; IPv6 a string, then a port; unix a path;
 * packet an ethertype (host order), then an ifindex; netlink a port id
 * (0: the kernel), then a bit mask of multicast groups.
 *
 * The socket is created in the network namespace of the task that runs
 * the script, and holds a reference on it (as a user socket does), so the
 * namespace outlives the socket, even one that lingers after close().
 *
 * Waits (receive, accept, send, connect) never sleep inside the protocol:
 * the call is made non-blocking, and the binding sleeps on the socket's
 * wait queue itself (see socket_sleep()), for at most SO_RCVTIMEO
 * (SO_SNDTIMEO for send and connect; no wait with msg.DONTWAIT or
 * sock.NONBLOCK), until a signal, or until the kernel thread that waits is
 * asked to stop (kthread_stop() wakes it).  No lock is held while waiting
 * but the runtime's own mutex.
 *
 * As upstream's, receive(), accept() and connect() raise when the wait
 * ends with nothing, as on any failure: "socket: receive: EAGAIN" (a
 * timeout; EINPROGRESS or EALREADY for connect) or "...: EINTR".  Their
 * try forms (tryreceive(), tryaccept(), tryconnect()), and send(), return
 * nil and "timeout" / "interrupted" instead.
 *
 * The class is neither shared nor usable outside process runtimes: only
 * the state that made a socket uses it, one call at a time, so close()
 * releases the socket at once.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/un.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/tcp.h>
#include <linux/sched/signal.h>
#include <linux/nsproxy.h>
#include <linux/jiffies.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

#include "lunatik.h"

/* the most one receive() reads; a larger length is cut to it */
#define SOCKET_MAXRECV	65536

struct lsocket {
	struct socket *sock;	/* NULL once closed */
};

static const struct lunatik_class socket_class;

/* --- errors ------------------------------------------------------------ */

/* Raises "socket: OP: ENAME" (the number if the errno has no name). */
static int socket_fail(lua_State *L, const char *op, int err)
{
	const char *name = lunatik_errname(err);

	if (name)
		return luaL_error(L, "socket: %s: %s", op, name);
	return luaL_error(L, "socket: %s: error %d", op, -err);
}

/*
 * What a try form (and send) makes of @err: a wait that ended with
 * nothing is nil and "timeout" (a connection still in progress too) or
 * nil and "interrupted"; any other failure raises.
 */
static int socket_tryfail(lua_State *L, const char *op, int err)
{
	const char *why;

	switch (err) {
	case -EAGAIN:
	case -EINPROGRESS:
	case -EALREADY:
		why = "timeout";
		break;
	case -EINTR:
	case -ERESTARTSYS:
		why = "interrupted";
		break;
	default:
		return socket_fail(L, op, err);
	}
	luaL_pushfail(L);
	lua_pushstring(L, why);
	return 2;
}

/* The failure of a call that raises (@try false) or of its try form. */
static int socket_result(lua_State *L, const char *op, int err, bool try)
{
	return try ? socket_tryfail(L, op, err) : socket_fail(L, op, err);
}

/* --- arguments --------------------------------------------------------- */

static struct socket *socket_check(lua_State *L)
{
	struct lunatik_object *obj;

	luaL_checkudata(L, 1, socket_class.name);
	obj = lunatik_testobject(L, 1, &socket_class);
	if (!obj)
		luaL_error(L, "socket: closed");
	return ((struct lsocket *)lunatik_private(obj))->sock;
}

static int socket_checkint(lua_State *L, int idx)
{
	lua_Integer v = luaL_checkinteger(L, idx);

	luaL_argcheck(L, v >= INT_MIN && v <= INT_MAX, idx, "out of range");
	return v;
}

/* Optional flags at @idx, none but those of @allowed (@msg names them). */
static int socket_checkflags(lua_State *L, int idx, int allowed,
			     const char *msg)
{
	lua_Integer v = luaL_optinteger(L, idx, 0);

	luaL_argcheck(L, !(v & ~(lua_Integer)allowed), idx, msg);
	return v;
}

/*
 * receive()'s flags: not MSG_TRUNC (on a stream it discards the data and
 * would hand back an unfilled buffer), nor those that need control data.
 */
#define SOCKET_RECVFLAGS	(MSG_OOB | MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL)

/*
 * accept()'s and connect()'s, file flags: SOCK_NONBLOCK (O_NONBLOCK) not
 * to wait; SOCK_CLOEXEC is taken and changes nothing, as a kernel socket
 * has no file descriptor.
 */
#define SOCKET_ACCEPTFLAGS	(SOCK_NONBLOCK | SOCK_CLOEXEC)
#define SOCKET_CONNECTFLAGS	SOCK_NONBLOCK

static __be16 socket_checkport(lua_State *L, int idx)
{
	lua_Integer port = luaL_optinteger(L, idx, 0);

	luaL_argcheck(L, port >= 0 && port <= U16_MAX, idx,
		      "port out of range (0 to 65535)");
	return htons(port);
}

static int socket_in4(lua_State *L, int idx, struct sockaddr_in *sin)
{
	const char *s, *end;
	lua_Integer a;
	size_t len;

	sin->sin_family = AF_INET;
	if (lua_type(L, idx) == LUA_TNUMBER) {
		a = luaL_checkinteger(L, idx);
		luaL_argcheck(L, a >= 0 && a <= U32_MAX, idx,
			      "IPv4 address out of range");
		sin->sin_addr.s_addr = htonl(a);
	} else {
		s = luaL_checklstring(L, idx, &len);
		if (len > INET_ADDRSTRLEN ||
		    !in4_pton(s, len, (u8 *)&sin->sin_addr, -1, &end) ||
		    end != s + len)
			luaL_argerror(L, idx, "invalid IPv4 address");
	}
	sin->sin_port = socket_checkport(L, idx + 1);
	return sizeof(*sin);
}

static int socket_in6(lua_State *L, int idx, struct sockaddr_in6 *sin6)
{
	const char *s, *end;
	size_t len;

	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_typeerror(L, idx, "IPv6 address (string)");
	s = lua_tolstring(L, idx, &len);
	sin6->sin6_family = AF_INET6;
	if (len > INET6_ADDRSTRLEN ||
	    !in6_pton(s, len, sin6->sin6_addr.s6_addr, -1, &end) ||
	    end != s + len)
		luaL_argerror(L, idx, "invalid IPv6 address");
	sin6->sin6_port = socket_checkport(L, idx + 1);
	return sizeof(*sin6);
}

/* A path, or an abstract name: one that starts with a NUL byte. */
static int socket_un(lua_State *L, int idx, struct sockaddr_un *sun)
{
	size_t len;
	const char *path = luaL_checklstring(L, idx, &len);
	bool abstract = len && path[0] == '\0';

	luaL_argcheck(L, len > 0, idx, "empty unix path");
	luaL_argcheck(L, len < sizeof(sun->sun_path), idx,
		      "unix path too long (at most 107 bytes)");
	luaL_argcheck(L, abstract || strlen(path) == len, idx,
		      "unix path contains a NUL byte");
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len);
	return offsetof(struct sockaddr_un, sun_path) + len + !abstract;
}

static int socket_ll(lua_State *L, int idx, struct sockaddr_ll *sll)
{
	lua_Integer proto = luaL_checkinteger(L, idx);
	lua_Integer ifindex = luaL_optinteger(L, idx + 1, 0);

	luaL_argcheck(L, proto >= 0 && proto <= U16_MAX, idx,
		      "ethertype out of range (0 to 65535)");
	luaL_argcheck(L, ifindex >= 0 && ifindex <= INT_MAX, idx + 1,
		      "invalid ifindex");
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(proto);
	sll->sll_ifindex = ifindex;
	return sizeof(*sll);
}

static int socket_nl(lua_State *L, int idx, struct sockaddr_nl *snl)
{
	lua_Integer portid = luaL_optinteger(L, idx, 0);
	lua_Integer groups = luaL_optinteger(L, idx + 1, 0);

	luaL_argcheck(L, portid >= 0 && portid <= U32_MAX, idx,
		      "port id out of range (0 to 2^32 - 1)");
	luaL_argcheck(L, groups >= 0 && groups <= U32_MAX, idx + 1,
		      "groups out of range (a 32-bit mask)");
	snl->nl_family = AF_NETLINK;
	snl->nl_pid = portid;
	snl->nl_groups = groups;
	return sizeof(*snl);
}

/* The address at @idx (and @idx + 1) for @sock's family; its length. */
static int socket_addr(lua_State *L, struct socket *sock, int idx,
		       struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	switch (sock->sk->sk_family) {
	case AF_INET:
		return socket_in4(L, idx, (struct sockaddr_in *)ss);
	case AF_INET6:
		return socket_in6(L, idx, (struct sockaddr_in6 *)ss);
	case AF_UNIX:
		return socket_un(L, idx, (struct sockaddr_un *)ss);
	case AF_PACKET:
		return socket_ll(L, idx, (struct sockaddr_ll *)ss);
	case AF_NETLINK:
		return socket_nl(L, idx, (struct sockaddr_nl *)ss);
	}
	return luaL_error(L, "socket: addresses of family %d are not supported",
			  sock->sk->sk_family);
}

/* How many arguments socket_addr() reads for @sock's family. */
static int socket_addrargs(struct socket *sock)
{
	return sock->sk->sk_family == AF_UNIX ? 1 : 2;
}

/* Pushes the address @ss of @len bytes; returns how many values. */
static int socket_pushaddr(lua_State *L, struct sockaddr_storage *ss,
			   int len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_un *sun = (struct sockaddr_un *)ss;
	struct sockaddr_ll *sll = (struct sockaddr_ll *)ss;
	struct sockaddr_nl *snl = (struct sockaddr_nl *)ss;
	char buf[INET6_ADDRSTRLEN];
	int n;

	if (len < (int)sizeof(sa_family_t)) {
		lua_pushnil(L);
		return 1;
	}
	switch (ss->ss_family) {
	case AF_INET:
		lua_pushinteger(L, ntohl(sin->sin_addr.s_addr));
		lua_pushinteger(L, ntohs(sin->sin_port));
		return 2;
	case AF_INET6:
		snprintf(buf, sizeof(buf), "%pI6c", &sin6->sin6_addr);
		lua_pushstring(L, buf);
		lua_pushinteger(L, ntohs(sin6->sin6_port));
		return 2;
	case AF_UNIX:
		n = len - (int)offsetof(struct sockaddr_un, sun_path);
		n = clamp_t(int, n, 0, sizeof(sun->sun_path));
		if (n && sun->sun_path[0])
			n = strnlen(sun->sun_path, n);
		lua_pushlstring(L, sun->sun_path, n);
		return 1;
	case AF_PACKET:
		lua_pushinteger(L, ntohs(sll->sll_protocol));
		lua_pushinteger(L, sll->sll_ifindex);
		return 2;
	case AF_NETLINK:
		lua_pushinteger(L, snl->nl_pid);
		lua_pushinteger(L, snl->nl_groups);
		return 2;
	}
	lua_pushnil(L);
	return 1;
}

/* --- waiting ----------------------------------------------------------- */

/*
 * A call that may wait queues itself on the socket's wait queue, then
 * tries its operation without blocking, and calls socket_sleep() each
 * time it would block.  Queued before it tries, it cannot miss the
 * wake-up of what the try did not see: wait_woken() returns at once for a
 * wake-up since its last call, and for kthread_stop() (which also makes
 * signal_pending() true; lunatik_should_stop() says it plainly).
 * Polling the socket instead is not possible: some ->poll() need a struct
 * file.  Each sleep is cut to SOCKET_SLICE, so that a protocol that does
 * not wake the queue for what the call waits on still gets retried.
 */
#define SOCKET_SLICE	(HZ / 10)

/*
 * Return: 0 to try again, -EAGAIN on timeout, -EINTR if interrupted.  A
 * call that does not wait (@timeo 0) times out even when interrupted, as
 * the kernel's own non-blocking calls do.
 */
static int socket_sleep(lua_State *L, struct wait_queue_entry *wait,
			long *timeo)
{
	long slice, left;

	if (*timeo <= 0)
		return -EAGAIN;
	if (lunatik_stopping(L) || signal_pending(current))
		return -EINTR;
	slice = min_t(long, *timeo, SOCKET_SLICE);
	left = wait_woken(wait, TASK_INTERRUPTIBLE, slice);
	if (*timeo != MAX_SCHEDULE_TIMEOUT)
		*timeo -= slice - left;
	return 0;
}

/*
 * An rtnetlink request takes RTNL: from a netdevice notifier's callback,
 * which runs under it, it would wait for itself forever.
 */
static void socket_checkrtnl(lua_State *L, int af, int proto)
{
	if (af == AF_NETLINK && proto == NETLINK_ROUTE && lunatik_rtnl_held())
		luaL_error(L, "socket: rtnetlink where RTNL is held (a netdevice notifier's callback) would deadlock");
}

/* --- socket.new -------------------------------------------------------- */

/*
 * A kernel socket holds no reference on its namespace; give it the one a
 * user socket holds (dropped when the sock is freed, after any lingering).
 */
static void socket_holdnet(struct socket *sock, struct net *net)
{
	struct sock *sk = sock->sk;

	sk->sk_net_refcnt = 1;
	get_net_track(net, &sk->ns_tracker, GFP_KERNEL);
	sock_inuse_add(net, 1);
}

/* socket.new(af, type[, proto]) */
static int socket_new(lua_State *L)
{
	int af = socket_checkint(L, 1);
	int type = socket_checkint(L, 2);
	int proto = luaL_opt(L, socket_checkint, 3, 0);
	struct lunatik_object *obj;
	struct socket *sock;
	struct lsocket *s;
	struct net *net;
	int ret;

	lunatik_checksleep(L, "socket.new");
	socket_checkrtnl(L, af, proto);
	/* the userdata first: refuses interrupt-context runtimes, and its
	 * __gc owns the socket
	 */
	obj = lunatik_newobject(L, &socket_class, sizeof(*s));
	s = lunatik_private(obj);
	if (!current->nsproxy)
		return luaL_error(L, "socket: the task has no network namespace");
	net = current->nsproxy->net_ns;
	ret = sock_create_kern(net, af, type, proto, &sock);
	if (ret)
		return socket_fail(L, "new", ret);
	socket_holdnet(sock, net);
	s->sock = sock;
	return 1;
}

/* --- methods ----------------------------------------------------------- */

/* s:bind(addr...) */
static int socket_bind(lua_State *L)
{
	struct socket *sock = socket_check(L);
	struct sockaddr_storage ss;
	int len = socket_addr(L, sock, 2, &ss);
	int ret;

	ret = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (ret)
		return socket_fail(L, "bind", ret);
	return 0;
}

/* s:listen([backlog]) */
static int socket_listen(lua_State *L)
{
	struct socket *sock = socket_check(L);
	lua_Integer backlog = luaL_optinteger(L, 2, SOMAXCONN);
	int ret;

	luaL_argcheck(L, backlog >= 0 && backlog <= INT_MAX, 2,
		      "invalid backlog");
	ret = kernel_listen(sock, backlog);
	if (ret)
		return socket_fail(L, "listen", ret);
	return 0;
}

static bool socket_connecting(struct sock *sk)
{
	return (1 << READ_ONCE(sk->sk_state)) & (TCPF_SYN_SENT | TCPF_SYN_RECV);
}

/*
 * s:connect(addr...[, flags]) -> true: waits at most SO_SNDTIMEO (not at
 * all with sock.NONBLOCK) for a stream connection; a wait that ends with
 * it in progress leaves -EINPROGRESS (-EALREADY if an earlier call
 * started it), as the kernel's connect(2) does.
 */
static int socket_doconnect(lua_State *L, bool try)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	const char *op = try ? "tryconnect" : "connect";
	struct socket *sock = socket_check(L);
	struct sock *sk = sock->sk;
	struct sockaddr_storage ss;
	int len = socket_addr(L, sock, 2, &ss);
	int flags = socket_checkflags(L, 2 + socket_addrargs(sock),
				      SOCKET_CONNECTFLAGS,
				      "invalid flags (NONBLOCK)");
	long timeo = flags & SOCK_NONBLOCK ? 0 : READ_ONCE(sk->sk_sndtimeo);
	int ret, err;

	add_wait_queue(sk_sleep(sk), &wait);
	ret = kernel_connect(sock, (struct sockaddr *)&ss, len, O_NONBLOCK);
	while (ret == -EINPROGRESS || ret == -EALREADY) {
		if (!socket_connecting(sk)) {
			ret = sock_error(sk);
			if (!ret && READ_ONCE(sk->sk_state) == TCP_CLOSE)
				ret = -ECONNABORTED;
			break;
		}
		err = socket_sleep(L, &wait, &timeo);
		if (err == -EINTR)
			ret = err;
		if (err)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	lunatik_budget_renew(L);
	if (ret)
		return socket_result(L, op, ret, try);
	lua_pushboolean(L, true);
	return 1;
}

static int socket_connect(lua_State *L)
{
	return socket_doconnect(L, false);
}

static int socket_tryconnect(lua_State *L)
{
	return socket_doconnect(L, true);
}

/*
 * s:accept([flags]) -> the connected socket: waits at most SO_RCVTIMEO
 * (not at all with sock.NONBLOCK).
 */
static int socket_doaccept(lua_State *L, bool try)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	const char *op = try ? "tryaccept" : "accept";
	struct socket *sock = socket_check(L);
	int flags = socket_checkflags(L, 2, SOCKET_ACCEPTFLAGS,
				      "invalid flags (NONBLOCK, CLOEXEC)");
	long timeo = flags & SOCK_NONBLOCK ? 0 :
		     READ_ONCE(sock->sk->sk_rcvtimeo);
	struct socket *newsock;
	struct lunatik_object *obj;
	int ret;

	/* its __gc owns the accepted socket */
	obj = lunatik_newobject(L, &socket_class, sizeof(struct lsocket));
	add_wait_queue(sk_sleep(sock->sk), &wait);
	do {
		ret = kernel_accept(sock, &newsock, O_NONBLOCK);
	} while (ret == -EAGAIN && !(ret = socket_sleep(L, &wait, &timeo)));
	remove_wait_queue(sk_sleep(sock->sk), &wait);
	lunatik_budget_renew(L);
	if (ret)
		return socket_result(L, op, ret, try);
	((struct lsocket *)lunatik_private(obj))->sock = newsock;
	return 1;
}

static int socket_accept(lua_State *L)
{
	return socket_doaccept(L, false);
}

static int socket_tryaccept(lua_State *L)
{
	return socket_doaccept(L, true);
}

/*
 * s:send(msg[, addr...]) -> bytes sent: all of @msg on a stream socket
 * (waiting at most SO_SNDTIMEO for room each time), one datagram otherwise.
 */
static int socket_send(lua_State *L)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct socket *sock = socket_check(L);
	long timeo = READ_ONCE(sock->sk->sk_sndtimeo);
	struct sockaddr_storage ss;
	struct msghdr msg = { 0 };
	size_t len, sent = 0;
	const char *data = luaL_checklstring(L, 2, &len);
	struct kvec iov;
	int ret;

	socket_checkrtnl(L, sock->sk->sk_family, sock->sk->sk_protocol);
	if (!lua_isnoneornil(L, 3)) {
		msg.msg_namelen = socket_addr(L, sock, 3, &ss);
		msg.msg_name = &ss;
	}
	add_wait_queue(sk_sleep(sock->sk), &wait);
	for (;;) {
		iov.iov_base = (char *)data + sent;
		iov.iov_len = len - sent;
		msg.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
		ret = kernel_sendmsg(sock, &msg, &iov, 1, iov.iov_len);
		if (ret == -EAGAIN) {
			ret = socket_sleep(L, &wait, &timeo);
			if (ret)
				break;
			continue;
		}
		if (ret < 0)
			break;
		sent += ret;
		if (sent == len || sock->type != SOCK_STREAM)
			break;
	}
	remove_wait_queue(sk_sleep(sock->sk), &wait);
	lunatik_budget_renew(L);
	if (ret < 0 && !sent)
		return socket_tryfail(L, "send", ret);
	lua_pushinteger(L, sent);
	return 1;
}

/*
 * s:receive(len[, flags[, from]]) -> data[, addr...]: at most @len bytes
 * (cut to SOCKET_MAXRECV); "" at the end of a stream.  Waits at most
 * SO_RCVTIMEO (not at all with socket.msg.DONTWAIT).
 */
static int socket_doreceive(lua_State *L, bool try)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	const char *op = try ? "tryreceive" : "receive";
	struct socket *sock = socket_check(L);
	lua_Integer want = luaL_checkinteger(L, 2);
	int flags = socket_checkflags(L, 3, SOCKET_RECVFLAGS,
				      "invalid flags (OOB, PEEK, DONTWAIT, WAITALL)");
	bool from = lua_toboolean(L, 4);
	long timeo = READ_ONCE(sock->sk->sk_rcvtimeo);
	struct sockaddr_storage ss;
	struct msghdr msg;
	struct kvec iov;
	luaL_Buffer b;
	int ret;

	luaL_argcheck(L, want > 0, 2, "length must be positive");
	iov.iov_len = min_t(lua_Integer, want, SOCKET_MAXRECV);
	if (flags & MSG_DONTWAIT)
		timeo = 0;
	iov.iov_base = luaL_buffinitsize(L, &b, iov.iov_len);
	add_wait_queue(sk_sleep(sock->sk), &wait);
	do {
		memset(&msg, 0, sizeof(msg));
		memset(&ss, 0, sizeof(ss));
		msg.msg_name = &ss;
		msg.msg_namelen = sizeof(ss);
		ret = kernel_recvmsg(sock, &msg, &iov, 1, iov.iov_len,
				     flags | MSG_DONTWAIT);
	} while (ret == -EAGAIN && !(ret = socket_sleep(L, &wait, &timeo)));
	remove_wait_queue(sk_sleep(sock->sk), &wait);
	lunatik_budget_renew(L);
	if (ret < 0)
		return socket_result(L, op, ret, try);
	luaL_pushresultsize(&b, min_t(size_t, ret, iov.iov_len));
	if (!from)
		return 1;
	return 1 + socket_pushaddr(L, &ss, msg.msg_namelen);
}

static int socket_receive(lua_State *L)
{
	return socket_doreceive(L, false);
}

static int socket_tryreceive(lua_State *L)
{
	return socket_doreceive(L, true);
}

static int socket_name(lua_State *L, bool peer)
{
	struct socket *sock = socket_check(L);
	struct sockaddr_storage ss = { 0 };
	int ret;

	if (peer)
		ret = kernel_getpeername(sock, (struct sockaddr *)&ss);
	else
		ret = kernel_getsockname(sock, (struct sockaddr *)&ss);
	if (ret < 0)
		return socket_fail(L, peer ? "getpeername" : "getsockname",
				   ret);
	return socket_pushaddr(L, &ss, ret);
}

/* s:getsockname() -> addr... */
static int socket_getsockname(lua_State *L)
{
	return socket_name(L, false);
}

/* s:getpeername() -> addr... */
static int socket_getpeername(lua_State *L)
{
	return socket_name(L, true);
}

static bool socket_istimeo(int level, int opt)
{
	return level == SOL_SOCKET &&
	       (opt == SO_RCVTIMEO_OLD || opt == SO_RCVTIMEO_NEW ||
		opt == SO_SNDTIMEO_OLD || opt == SO_SNDTIMEO_NEW);
}

/* An integer timeout in ms (0: no limit) at @idx, as a timeval. */
static void socket_checkms(lua_State *L, int idx,
			   struct __kernel_sock_timeval *tv)
{
	lua_Integer ms = luaL_checkinteger(L, idx);

	luaL_argcheck(L, ms >= 0 && ms <= INT_MAX, idx,
		      "timeout out of range");
	tv->tv_sec = ms / MSEC_PER_SEC;
	tv->tv_usec = (ms % MSEC_PER_SEC) * USEC_PER_MSEC;
}

/*
 * An int payload: a boolean, or an integer from INT_MIN to UINT_MAX (an
 * unsigned option, SO_MARK for one, reads the 32 bits as a u32).
 */
static int socket_checkoptint(lua_State *L, int idx)
{
	lua_Integer v;

	if (lua_isboolean(L, idx))
		return lua_toboolean(L, idx);
	if (lua_type(L, idx) != LUA_TNUMBER)
		luaL_typeerror(L, idx, "integer, boolean or string");
	v = luaL_checkinteger(L, idx);
	luaL_argcheck(L, v >= INT_MIN && v <= U32_MAX, idx, "out of range");
	return (int)(u32)v;
}

/* setsockopt(2)'s routing: SOL_SOCKET to the core, others to the protocol */
static int socket_setopt(struct socket *sock, int level, int opt,
			 const void *val, unsigned int len)
{
	sockptr_t p = KERNEL_SOCKPTR((void *)val);

	if (level == SOL_SOCKET)
		return sock_setsockopt(sock, level, opt, p, len);
	if (!sock->ops->setsockopt)
		return -EOPNOTSUPP;
	return sock->ops->setsockopt(sock, level, opt, p, len);
}

/*
 * s:setsockopt(level, opt, value): a string is the option's payload as it
 * is (a packed struct timeval for SO_RCVTIMEO, a name for
 * TCP_CONGESTION); an integer or a boolean is an int, but for the
 * timeouts SO_RCVTIMEO and SO_SNDTIMEO: ms (0: wait without limit).
 * Levels but SOL_SOCKET are refused where RTNL is held: some of their
 * options take it (multicast memberships).
 */
static int socket_setsockopt(lua_State *L)
{
	struct socket *sock = socket_check(L);
	int level = socket_checkint(L, 2);
	int opt = socket_checkint(L, 3);
	struct __kernel_sock_timeval tv;
	const void *val;
	size_t len;
	int v, ret;

	if (level != SOL_SOCKET && lunatik_rtnl_held())
		return luaL_error(L, "socket: setsockopt: options of level %d where RTNL is held (a netdevice notifier's callback) may deadlock",
				  level);
	if (lua_type(L, 4) == LUA_TSTRING) {
		val = lua_tolstring(L, 4, &len);
		luaL_argcheck(L, len <= INT_MAX, 4, "payload too long");
	} else if (socket_istimeo(level, opt)) {
		socket_checkms(L, 4, &tv);
		opt = (opt == SO_RCVTIMEO_OLD || opt == SO_RCVTIMEO_NEW) ?
		      SO_RCVTIMEO_NEW : SO_SNDTIMEO_NEW;
		val = &tv;
		len = sizeof(tv);
	} else {
		v = socket_checkoptint(L, 4);
		val = &v;
		len = sizeof(v);
	}
	ret = socket_setopt(sock, level, opt, val, len);
	if (ret)
		return socket_fail(L, "setsockopt", ret);
	return 0;
}

static lua_Integer socket_timeo_ms(long timeo)
{
	return timeo == MAX_SCHEDULE_TIMEOUT ? 0 : jiffies_to_msecs(timeo);
}

/*
 * The kernel exports no getsockopt() that writes to kernel memory, so
 * the integer options are read from the sock itself.
 */
static int socket_sockopt(struct sock *sk, int opt, lua_Integer *v)
{
	switch (opt) {
	case SO_TYPE:
		*v = sk->sk_type;
		break;
	case SO_PROTOCOL:
		*v = sk->sk_protocol;
		break;
	case SO_DOMAIN:
		*v = sk->sk_family;
		break;
	case SO_ERROR:
		*v = -sock_error(sk);
		break;
	case SO_RCVBUF:
		*v = READ_ONCE(sk->sk_rcvbuf);
		break;
	case SO_SNDBUF:
		*v = READ_ONCE(sk->sk_sndbuf);
		break;
	case SO_REUSEADDR:
		*v = sk->sk_reuse;
		break;
	case SO_REUSEPORT:
		*v = sk->sk_reuseport;
		break;
	case SO_KEEPALIVE:
		*v = sock_flag(sk, SOCK_KEEPOPEN);
		break;
	case SO_BROADCAST:
		*v = sock_flag(sk, SOCK_BROADCAST);
		break;
	case SO_PRIORITY:
		*v = READ_ONCE(sk->sk_priority);
		break;
	case SO_MARK:
		*v = READ_ONCE(sk->sk_mark);
		break;
	case SO_ACCEPTCONN:
		*v = sk->sk_state == TCP_LISTEN;
		break;
	case SO_RCVLOWAT:
		*v = READ_ONCE(sk->sk_rcvlowat);
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		*v = socket_timeo_ms(READ_ONCE(sk->sk_rcvtimeo));
		break;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		*v = socket_timeo_ms(READ_ONCE(sk->sk_sndtimeo));
		break;
	default:
		return -ENOPROTOOPT;
	}
	return 0;
}

static bool socket_istcp(struct sock *sk)
{
	return (sk->sk_family == AF_INET || sk->sk_family == AF_INET6) &&
	       sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

/* s:getsockopt(level, opt) -> integer: SOL_SOCKET options, TCP_NODELAY */
static int socket_getsockopt(lua_State *L)
{
	struct socket *sock = socket_check(L);
	int level = socket_checkint(L, 2);
	int opt = socket_checkint(L, 3);
	struct sock *sk = sock->sk;
	lua_Integer v = 0;
	int ret = -ENOPROTOOPT;

	if (level == SOL_SOCKET) {
		ret = socket_sockopt(sk, opt, &v);
	} else if (level == SOL_TCP && opt == TCP_NODELAY && socket_istcp(sk)) {
		v = !!(tcp_sk(sk)->nonagle & TCP_NAGLE_OFF);
		ret = 0;
	}
	if (ret == -ENOPROTOOPT)
		return luaL_error(L, "socket: getsockopt: option %d of level %d is not supported",
				  opt, level);
	lua_pushinteger(L, v);
	return 1;
}

/* s:close(): what s:stop() does; closing twice is harmless */
static int socket_close(lua_State *L)
{
	struct lunatik_object *obj;

	luaL_checkudata(L, 1, socket_class.name);
	obj = lunatik_testobject(L, 1, &socket_class);
	if (obj)
		lunatik_stopobject(obj);
	return 0;
}

/* Only the owning state uses the socket, and not during this call. */
static void socket_stop(struct lunatik_object *obj)
{
	struct lsocket *s = lunatik_private(obj);

	if (s->sock) {
		sock_release(s->sock);
		s->sock = NULL;
	}
}

static const luaL_Reg socket_methods[] = {
	{ "bind", socket_bind },
	{ "listen", socket_listen },
	{ "connect", socket_connect },
	{ "tryconnect", socket_tryconnect },
	{ "accept", socket_accept },
	{ "tryaccept", socket_tryaccept },
	{ "send", socket_send },
	{ "receive", socket_receive },
	{ "tryreceive", socket_tryreceive },
	{ "getsockname", socket_getsockname },
	{ "getpeername", socket_getpeername },
	{ "setsockopt", socket_setsockopt },
	{ "getsockopt", socket_getsockopt },
	{ "close", socket_close },
	{ NULL, NULL }
};

static const struct lunatik_class socket_class = {
	.name = "socket",
	.owner = THIS_MODULE,
	.methods = socket_methods,
	.release = socket_stop,
	.stop = socket_stop,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_PROCESS),
	.sleep = true,
};

/* --- constants: names from the kernel headers -------------------------- */

#define C(prefix, name)	{ #name, prefix##name }

static const struct lunatik_const socket_af[] = {
	C(AF_, UNSPEC), C(AF_, UNIX), C(AF_, LOCAL), C(AF_, INET),
	C(AF_, AX25), C(AF_, IPX), C(AF_, APPLETALK), C(AF_, NETROM),
	C(AF_, BRIDGE), C(AF_, ATMPVC), C(AF_, X25), C(AF_, INET6),
	C(AF_, ROSE), C(AF_, NETBEUI), C(AF_, SECURITY), C(AF_, KEY),
	C(AF_, NETLINK), C(AF_, ROUTE), C(AF_, PACKET), C(AF_, ASH),
	C(AF_, ECONET), C(AF_, ATMSVC), C(AF_, RDS), C(AF_, SNA),
	C(AF_, IRDA), C(AF_, PPPOX), C(AF_, WANPIPE), C(AF_, LLC),
	C(AF_, IB), C(AF_, MPLS), C(AF_, CAN), C(AF_, TIPC),
	C(AF_, BLUETOOTH), C(AF_, IUCV), C(AF_, RXRPC), C(AF_, ISDN),
	C(AF_, PHONET), C(AF_, IEEE802154), C(AF_, CAIF), C(AF_, ALG),
	C(AF_, NFC), C(AF_, VSOCK), C(AF_, KCM), C(AF_, QIPCRTR),
	C(AF_, SMC), C(AF_, XDP), C(AF_, MCTP),
	{ NULL, 0 }
};

/* and the flags of accept() and connect() */
static const struct lunatik_const socket_sock[] = {
	C(SOCK_, STREAM), C(SOCK_, DGRAM), C(SOCK_, RAW), C(SOCK_, RDM),
	C(SOCK_, SEQPACKET), C(SOCK_, DCCP), C(SOCK_, PACKET),
	C(SOCK_, NONBLOCK), C(SOCK_, CLOEXEC),
	{ NULL, 0 }
};

static const struct lunatik_const socket_ipproto[] = {
	C(IPPROTO_, IP), C(IPPROTO_, ICMP), C(IPPROTO_, IGMP),
	C(IPPROTO_, IPIP), C(IPPROTO_, TCP), C(IPPROTO_, EGP),
	C(IPPROTO_, PUP), C(IPPROTO_, UDP), C(IPPROTO_, IDP),
	C(IPPROTO_, TP), C(IPPROTO_, DCCP), C(IPPROTO_, IPV6),
	C(IPPROTO_, RSVP), C(IPPROTO_, GRE), C(IPPROTO_, ESP),
	C(IPPROTO_, AH), C(IPPROTO_, MTP), C(IPPROTO_, BEETPH),
	C(IPPROTO_, ENCAP), C(IPPROTO_, PIM), C(IPPROTO_, COMP),
	C(IPPROTO_, L2TP), C(IPPROTO_, SCTP), C(IPPROTO_, UDPLITE),
	C(IPPROTO_, MPLS), C(IPPROTO_, ETHERNET), C(IPPROTO_, RAW),
	C(IPPROTO_, MPTCP), C(IPPROTO_, HOPOPTS), C(IPPROTO_, ROUTING),
	C(IPPROTO_, FRAGMENT), C(IPPROTO_, ICMPV6), C(IPPROTO_, NONE),
	C(IPPROTO_, DSTOPTS), C(IPPROTO_, MH),
	{ NULL, 0 }
};

static const struct lunatik_const socket_sol[] = {
	C(SOL_, SOCKET), C(SOL_, IP), C(SOL_, TCP), C(SOL_, UDP),
	C(SOL_, IPV6), C(SOL_, ICMPV6), C(SOL_, SCTP), C(SOL_, UDPLITE),
	C(SOL_, RAW), C(SOL_, PACKET), C(SOL_, NETLINK),
	{ NULL, 0 }
};

/* SO_RCVTIMEO and SO_SNDTIMEO: the values user space uses on 64 bits */
static const struct lunatik_const socket_so[] = {
	C(SO_, DEBUG), C(SO_, REUSEADDR), C(SO_, TYPE), C(SO_, ERROR),
	C(SO_, DONTROUTE), C(SO_, BROADCAST), C(SO_, SNDBUF),
	C(SO_, RCVBUF), C(SO_, SNDBUFFORCE), C(SO_, RCVBUFFORCE),
	C(SO_, KEEPALIVE), C(SO_, OOBINLINE), C(SO_, NO_CHECK),
	C(SO_, PRIORITY), C(SO_, LINGER), C(SO_, BSDCOMPAT),
	C(SO_, REUSEPORT), C(SO_, PASSCRED), C(SO_, PEERCRED),
	C(SO_, RCVLOWAT), C(SO_, SNDLOWAT), C(SO_, BINDTODEVICE),
	C(SO_, ACCEPTCONN), C(SO_, PROTOCOL), C(SO_, DOMAIN),
	C(SO_, MARK), C(SO_, BINDTOIFINDEX), C(SO_, INCOMING_CPU),
	C(SO_, BUSY_POLL),
	{ "RCVTIMEO", SO_RCVTIMEO_OLD }, { "SNDTIMEO", SO_SNDTIMEO_OLD },
	{ NULL, 0 }
};

static const struct lunatik_const socket_msg[] = {
	C(MSG_, OOB), C(MSG_, PEEK), C(MSG_, DONTROUTE), C(MSG_, CTRUNC),
	C(MSG_, PROBE), C(MSG_, TRUNC), C(MSG_, DONTWAIT), C(MSG_, EOR),
	C(MSG_, WAITALL), C(MSG_, FIN), C(MSG_, SYN), C(MSG_, CONFIRM),
	C(MSG_, RST), C(MSG_, ERRQUEUE), C(MSG_, NOSIGNAL), C(MSG_, MORE),
	C(MSG_, WAITFORONE), C(MSG_, BATCH), C(MSG_, ZEROCOPY),
	C(MSG_, FASTOPEN), C(MSG_, CMSG_CLOEXEC),
	{ NULL, 0 }
};

/* netlink protocols (socket.new(af.NETLINK, sock.RAW, netlink.ROUTE)) */
static const struct lunatik_const socket_netlink[] = {
	C(NETLINK_, ROUTE), C(NETLINK_, USERSOCK), C(NETLINK_, FIREWALL),
	C(NETLINK_, SOCK_DIAG), C(NETLINK_, NFLOG), C(NETLINK_, XFRM),
	C(NETLINK_, SELINUX), C(NETLINK_, ISCSI), C(NETLINK_, AUDIT),
	C(NETLINK_, FIB_LOOKUP), C(NETLINK_, CONNECTOR), C(NETLINK_, NETFILTER),
	C(NETLINK_, IP6_FW), C(NETLINK_, DNRTMSG), C(NETLINK_, KOBJECT_UEVENT),
	C(NETLINK_, GENERIC), C(NETLINK_, SCSITRANSPORT), C(NETLINK_, ECRYPTFS),
	C(NETLINK_, RDMA), C(NETLINK_, CRYPTO), C(NETLINK_, SMC),
	{ NULL, 0 }
};

static const struct lunatik_const socket_tcp[] = {
	C(TCP_, NODELAY), C(TCP_, MAXSEG), C(TCP_, CORK),
	C(TCP_, KEEPIDLE), C(TCP_, KEEPINTVL), C(TCP_, KEEPCNT),
	C(TCP_, USER_TIMEOUT), C(TCP_, CONGESTION),
	{ NULL, 0 }
};

#undef C

static const luaL_Reg socket_funcs[] = {
	{ "new", socket_new },
	{ NULL, NULL }
};

static int luaopen_socket(lua_State *L)
{
	lunatik_newclass(L, &socket_class);
	luaL_newlib(L, socket_funcs);
	lunatik_setconsts(L, "af", socket_af);
	lunatik_setconsts(L, "sock", socket_sock);
	lunatik_setconsts(L, "ipproto", socket_ipproto);
	lunatik_setconsts(L, "sol", socket_sol);
	lunatik_setconsts(L, "so", socket_so);
	lunatik_setconsts(L, "msg", socket_msg);
	lunatik_setconsts(L, "tcp", socket_tcp);
	lunatik_setconsts(L, "netlink", socket_netlink);
	return 1;
}

LUNATIK_LIB(socket, luaopen_socket);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the socket library");
