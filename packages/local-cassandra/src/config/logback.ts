/**
 * Our own logback.xml (Cassandra's is not in the jars): one rolling-free file,
 * `system.log` in the node's log folder, at INFO. Startup progress and errors
 * land there, which is what a timeout message quotes.
 */
export function logbackXml(logFile: string): string {
  const escaped = logFile.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<configuration scan="false">
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${escaped}</file>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="INFO">
    <appender-ref ref="FILE"/>
  </root>
</configuration>
`;
}
