-- expect: stack overflow|error in error handling
assert(load(("do "):rep(10000) .. ("end "):rep(10000)))
