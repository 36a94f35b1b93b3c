-- GET /api/posts/{id} over the seeded ids: ID_BASE + 1 .. ID_BASE + SEED_ROWS (from the environment).
local rows = tonumber(os.getenv("SEED_ROWS") or "1000")
local base = tonumber(os.getenv("ID_BASE") or "0")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/posts/" .. (base + math.random(1, rows)))
end
