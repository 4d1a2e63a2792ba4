-- wrk script for scripts/lifecycle/swap-under-load.sh: POSTs one customer to /predict and, per thread (one
-- connection each, so its requests are strictly sequential), counts answers by the model version they carry,
-- non-2xx answers, and any answer from the old model after one from the new model.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("SWAP_BODY")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  old_version = os.getenv("SWAP_OLD")
  new_version = os.getenv("SWAP_NEW")
  answers, old_count, new_count, other_count, non2xx, old_after_new = 0, 0, 0, 0, 0, 0
  seen_new = false
end

function response(status, headers, body)
  answers = answers + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if body:find(new_version, 1, true) then
    new_count = new_count + 1
    seen_new = true
  elseif body:find(old_version, 1, true) then
    old_count = old_count + 1
    if seen_new then old_after_new = old_after_new + 1 end
  else
    other_count = other_count + 1
  end
end

function done(summary, latency, requests)
  local t = {answers = 0, old = 0, new = 0, other = 0, non2xx = 0, old_after_new = 0}
  for _, thread in ipairs(threads) do
    t.answers = t.answers + thread:get("answers")
    t.old = t.old + thread:get("old_count")
    t.new = t.new + thread:get("new_count")
    t.other = t.other + thread:get("other_count")
    t.non2xx = t.non2xx + thread:get("non2xx")
    t.old_after_new = t.old_after_new + thread:get("old_after_new")
  end
  local e = summary.errors
  io.write(string.format("SWAP answers=%d old=%d new=%d other=%d non2xx=%d old_after_new=%d socket_errors=%d wrk_status_errors=%d\n",
    t.answers, t.old, t.new, t.other, t.non2xx, t.old_after_new, e.connect + e.read + e.write + e.timeout, e.status))
end
