return require("string").len("abc")
