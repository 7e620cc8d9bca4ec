-- expect: stack overflow|error in error handling
assert(load("return " .. ("{"):rep(100000) .. ("}"):rep(100000)))
