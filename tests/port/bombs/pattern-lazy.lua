-- expect: pattern too complex
return string.find(("a"):rep(200), ("a-"):rep(300) .. "b")
