-- /lib/modules/lua/echod.lua: a TCP echo server on 127.0.0.1 and ::1,
-- port 7777, served by WORKERS kernel threads (echod1, echod2, ...).
-- usage: $ sudo lunatik run echod
--        $ echo hello | nc 127.0.0.1 7777
--        hello
--        $ sudo lunatik stop echod
--
-- Why no listener thread handing connections to workers: a socket belongs
-- to the runtime that made it and cannot be passed to another (through
-- lunatik._ENV or a fifo), and a kernel thread holds its runtime for as
-- long as it runs.  So each worker is a runtime of its own
-- (echod_worker.lua) with its own listening sockets bound to the same
-- port with SO_REUSEPORT: the kernel spreads new connections over them,
-- and each worker serves all of its clients at once (see tcploop.lua).
local lunatik = require("lunatik")
local thread  = require("thread")

local WORKERS = 2

-- the global keeps the threads (and so their runtimes) alive until
-- `lunatik stop` closes this state, which stops them
echod_workers = {}
for i = 1, WORKERS do
	local rt = lunatik.runtime("echod_worker")
	echod_workers[i] = thread.run(rt, "echod" .. i)
end
