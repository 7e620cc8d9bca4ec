-- expect: stack overflow|error in error handling
assert(load(("return function() "):rep(10000) .. ("end "):rep(10000)))
