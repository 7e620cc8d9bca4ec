-- /lib/modules/lua/tcpkv.lua: an in-kernel key/value server over TCP (a
-- tiny memcached), on 127.0.0.1 and ::1, port 11211.  One kernel thread a
-- family (tcpkv4, tcpkv6, each in a runtime of tcpkv_server.lua) serves
-- every client of its family; both share one rcu table, published as
-- lunatik._ENV.tcpkv so that other runtimes may read it lock-free.
-- usage: $ sudo lunatik run tcpkv
--        $ printf 'set colour blue\nget colour\n' | nc 127.0.0.1 11211
--        OK
--        VALUE colour blue
--        $ sudo lunatik stop tcpkv
--
-- One command a line (at most 1024 bytes, "\n" or "\r\n" ended):
--	set KEY VALUE	-> OK		(VALUE: the rest of the line)
--	get KEY		-> VALUE KEY VALUE, or NOT_FOUND
--	del KEY		-> DELETED, or NOT_FOUND
-- anything else gets ERROR; a longer line gets "ERROR line too long" and
-- the connection is closed.  KEY: at most 250 bytes, no spaces.
-- Only loopback addresses are served: there is no authentication.
local lunatik = require("lunatik")
local thread  = require("thread")
local rcu     = require("rcu")

lunatik._ENV.tcpkv = rcu.table(1024)

-- each server runtime reads its family from lunatik._ENV when created;
-- the global keeps the threads (and so their runtimes) alive until
-- `lunatik stop` closes this state, which stops them
tcpkv_servers = {}
for _, family in ipairs({"tcp", "tcp6"}) do
	lunatik._ENV.tcpkv_family = family
	local rt = lunatik.runtime("tcpkv_server")
	local name = family == "tcp" and "tcpkv4" or "tcpkv6"
	tcpkv_servers[family] = thread.run(rt, name)
end
lunatik._ENV.tcpkv_family = nil
