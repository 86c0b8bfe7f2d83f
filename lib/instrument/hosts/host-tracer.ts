/** The language of the dd-trace a host runs (DatadogEcsTracing, DatadogEc2Tracing `tracer`). */
export class HostTracer {
  /** dd-trace-java (dd-java-agent). */
  public static readonly JAVA = new HostTracer('java');
  /** dd-trace (Node.js). */
  public static readonly NODEJS = new HostTracer('nodejs');
  /** ddtrace (Python). */
  public static readonly PYTHON = new HostTracer('python');
  /** dd-trace-go. */
  public static readonly GO = new HostTracer('go');
  /** dd-trace-dotnet. */
  public static readonly DOTNET = new HostTracer('dotnet');
  /** datadog (Ruby). */
  public static readonly RUBY = new HostTracer('ruby');
  /** dd-trace-php. */
  public static readonly PHP = new HostTracer('php');

  private constructor(
    /** The language, as the report shows it. */
    public readonly language: string,
  ) {}
}
