"""
Runs in the child process: what the AWS Lambda Python runtime (awslambdaric) does for one invocation,
no more. The function's code directory (LAMBDA_TASK_ROOT) is first on sys.path, the module named by
_HANDLER (the function's configured Handler, `module.function`) is imported and the function called
with the event and a Lambda context object; the result is printed on one marked stdout line.

Several invocations run one after the other in the one process, as warm starts do in Lambda: each with its own
request id, and the X-Ray header Lambda sets for it in _X_AMZN_TRACE_ID (awslambdaric sets it per invocation).

argv[1]: path of a JSON file {invocations: [{event, awsRequestId, traceHeader}], invokedFunctionArn, timeoutSeconds}.
"""
import importlib
import json
import os
import sys
import time
import traceback

RESULT_MARKER = "__E2E_LAMBDA_RESULT__"

with open(sys.argv[1], encoding="utf-8") as f:
    invocation = json.load(f)


class LambdaContext:
    """The attributes awslambdaric's LambdaContext has."""

    def __init__(self, deadline_ms, aws_request_id):
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.invoked_function_arn = invocation["invokedFunctionArn"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.aws_request_id = aws_request_id
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def load_handler(handler):
    # awslambdaric: "module.function", the module path may use '/' for packages.
    module_name, _, function_name = handler.rpartition(".")
    if not module_name:
        raise ValueError(f"Runtime.MalformedHandlerName: {handler}")
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, function_name)


def main():
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    handler = None
    for one in invocation["invocations"]:
        deadline_ms = int(time.time() * 1000) + invocation["timeoutSeconds"] * 1000
        os.environ["_X_AMZN_TRACE_ID"] = one["traceHeader"]
        try:
            handler = handler or load_handler(os.environ["_HANDLER"])
            outcome = {"result": handler(one["event"], LambdaContext(deadline_ms, one["awsRequestId"]))}
        except Exception as error:  # noqa: BLE001 - the runtime reports any error of the handler
            outcome = {"error": {"name": type(error).__name__, "message": str(error), "stack": traceback.format_exc()}}
        sys.stdout.write(f"\n{RESULT_MARKER} {json.dumps(outcome)}\n")
        sys.stdout.flush()


main()
