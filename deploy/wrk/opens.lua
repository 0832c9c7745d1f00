-- wrk -t2 -c200 -d10s -s deploy/wrk/opens.lua URL, with PLAN=file from `bench --http URL --wrk-plan file`.
package.path = package.path .. ";deploy/wrk/?.lua"
require "plan"
function request() return next_open("open") end
