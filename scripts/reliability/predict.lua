-- POST /predict with a new customer id on every request, so the prediction log grows as in production.
-- Errors are wrk's own counts ("Non-2xx or 3xx responses", "Socket errors"); done() adds exact percentiles.
local prefix
local counter = 0
local body = '{"customerID":"%s-%d","gender":"Female","SeniorCitizen":0,"Partner":"Yes","Dependents":"No","tenure":%d,' ..
  '"PhoneService":"No","MultipleLines":"No phone service","InternetService":"DSL","OnlineSecurity":"No","OnlineBackup":"Yes",' ..
  '"DeviceProtection":"No","TechSupport":"No","StreamingTV":"No","StreamingMovies":"No","Contract":"Month-to-month",' ..
  '"PaperlessBilling":"Yes","PaymentMethod":"Electronic check","MonthlyCharges":29.85,"TotalCharges":29.85}'
local headers = { ["Content-Type"] = "application/json" }
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  prefix = string.format("T%d-%d", tid, os.time())
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/predict", headers, string.format(body, prefix, counter, counter % 72))
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  io.write(string.format("p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
