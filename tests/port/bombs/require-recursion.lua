-- expect: stack overflow|error in error handling
package.preload.r = function() return require("r2") end
package.preload.r2 = function() package.loaded.r2 = nil package.loaded.r = nil return require("r") end
require("r")
