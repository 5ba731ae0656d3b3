/** The counting proxy in front of sqld lives with the tests, which assert its counts; the benchmark reports them. */
export { type CountingProxy, pipelineSql, startCountingProxy, type Trips } from "../test/support/db-proxy.ts";
