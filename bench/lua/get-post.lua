-- GET /api/posts/{id} over the seeded ids (SEED_ROWS in the environment).
local rows = tonumber(os.getenv("SEED_ROWS") or "1000")
request = function()
  return wrk.format("GET", "/api/posts/" .. math.random(1, rows))
end
