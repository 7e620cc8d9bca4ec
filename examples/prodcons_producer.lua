-- /lib/modules/lua/prodcons_producer.lua: the producer of prodcons.lua,
-- which runs it; not meant to be run on its own.
require("fifo")		-- the classes of the objects lunatik._ENV hands us
require("completion")
local linux  = require("linux")
local thread = require("thread")
local lunatik = require("lunatik")

return function()
	local queue = lunatik._ENV.prodcons_queue
	local more = lunatik._ENV.prodcons_more
	for i = 1, lunatik._ENV.prodcons_n do
		local msg = string.format("%03d,", i)
		-- the fifo is full: let the consumer catch up
		while not pcall(queue.push, queue, msg) do
			if thread.shouldstop() then return end
			linux.schedule(1)
		end
		more:complete()
	end
end
