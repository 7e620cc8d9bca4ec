-- /lib/modules/lua/prodcons.lua: a producer and a consumer kernel thread,
-- in two runtimes, passing messages through a fifo; the consumer sleeps on
-- a completion the producer signals after each message.
-- usage: $ sudo lunatik spawn prodcons
--        $ dmesg | grep prodcons
--        $ sudo lunatik stop prodcons
local fifo       = require("fifo")
local completion = require("completion")
local thread     = require("thread")
local lunatik    = require("lunatik")

local N = 100
local queue, more = fifo.new(16), completion.new()

-- fifos and completions are shared objects: lunatik._ENV hands them to
-- the producer's runtime
lunatik._ENV.prodcons_queue = queue
lunatik._ENV.prodcons_more = more
lunatik._ENV.prodcons_n = N

-- the producer: another runtime (prodcons_producer.lua) in its own
-- thread; stopped when this runtime stops and the object is collected
local producer = thread.run(lunatik.runtime("prodcons_producer"),
	"prodcons_prod")

-- the consumer: the thread `lunatik spawn` starts
return function()
	local got, inorder = 0, true
	while got < N and not thread.shouldstop() do
		local msg, n = queue:pop(4)	-- one "%03d," message
		if n > 0 then
			got = got + 1
			inorder = inorder and msg == string.format("%03d,", got)
		else
			more:wait()	-- until a message, or lunatik stop
		end
	end
	print(string.format("prodcons: consumed %d messages, %s", got,
		inorder and "in order" or "OUT OF ORDER"))
	lunatik._ENV.prodcons_queue = nil
	lunatik._ENV.prodcons_more = nil
	lunatik._ENV.prodcons_n = nil
end
