package dev.tenantkit.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The demo's start-up log: one logback version (classic and core as Spring Boot manages them, so
 * logback prints no version warning and no status dump), and no per-line INFO from the stand-ins
 * (zonky's embedded PostgreSQL logs each initdb and postgres line at INFO; S3Proxy its settings),
 * before Spring Boot sets up logging and after.
 */
class StartupLogIntegrationTest {
  private static boolean fromAStandIn(ILoggingEvent e) {
    String name = e.getLoggerName();
    return name.startsWith("io.zonky") || name.startsWith("org.gaul") || name.startsWith("org.jclouds");
  }

  @Test
  void logbackClassicAndCore_areOneVersion() {
    String classic = Logger.class.getPackage().getImplementationVersion();
    String core = Context.class.getPackage().getImplementationVersion();
    assertThat(classic).isNotBlank();
    assertThat(core).as("logback-core beside logback-classic %s", classic).isEqualTo(classic);
  }

  @Test
  void localStart_logsNoStandInLineBelowWarn_andLogbackReportsNoProblem() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    // What logback said when this JVM first set it up (a version mismatch is reported then).
    List<Status> statuses = new ArrayList<>(context.getStatusManager().getCopyOfStatusList());
    // Start from what a fresh JVM has before Boot runs: logback's own configuration from logback.xml
    // (another test class of this JVM may already have run Spring Boot, which reconfigures it).
    context.reset();
    new ContextInitializer(context).autoConfig();
    ListAppender<ILoggingEvent> beforeBoot = capture(context);

    DemoService.Running app = DemoService.startLocal(0);
    ListAppender<ILoggingEvent> afterBoot;
    try {
      // Boot has reset and reconfigured logging (dropping the first appender): watch again, through
      // the stand-ins' shutdown (postgres logs each step of it).
      afterBoot = capture(context);
    } finally {
      app.close();
    }

    List<ILoggingEvent> standInLines = new ArrayList<>();
    for (ListAppender<ILoggingEvent> a : List.of(beforeBoot, afterBoot)) {
      a.list.stream().filter(StartupLogIntegrationTest::fromAStandIn).forEach(standInLines::add);
    }
    assertThat(standInLines).as("stand-in lines that reached the console")
        .allSatisfy(e -> assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).as(e.toString()).isTrue());
    // The loggers really are quiet (not merely idle): an INFO line from zonky would be dropped.
    assertThat(context.getLogger("io.zonky.test.db.postgres.embedded.EmbeddedPostgres").isInfoEnabled()).isFalse();
    assertThat(context.getLogger("dev.tenantkit.examples.service.DemoService").isInfoEnabled()).isTrue();

    statuses.addAll(context.getStatusManager().getCopyOfStatusList());
    List<Status> problems = statuses.stream().filter(s -> s.getLevel() >= Status.WARN).toList();
    assertThat(problems).as("logback warnings or errors (a version mismatch, a broken logback.xml)").isEmpty();
  }

  private static ListAppender<ILoggingEvent> capture(LoggerContext context) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }
}
