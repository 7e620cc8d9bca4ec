while false do end repeat local x = 1 until x == 1 return x
