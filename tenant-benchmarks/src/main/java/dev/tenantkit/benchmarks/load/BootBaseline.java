package dev.tenantkit.benchmarks.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.examples.documents.Document;
import dev.tenantkit.examples.documents.DocumentStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The baselines of the load harness's Spring Boot paths: the documents example's two endpoints
 * (read one document, upload one) as a plain Spring Boot service would write them for acme alone,
 * on the same Boot version with the same auto-configuration (Spring MVC on Tomcat, Jackson,
 * Actuator and its HTTP observations), a HikariCP pool on acme's database and the raw S3 client
 * on acme's bucket, the document store's SQL and S3 calls, and no TenantKit. Two of them:
 *
 * <ul>
 *   <li>unsecured: no check at all, not even of the token (Spring Security left out too), the
 *       floor;</li>
 *   <li>secured: what a team writes without TenantKit for one issuer, Spring Security's OAuth 2.0
 *       resource server verifying acme's tokens (signature against the issuer's keys, issuer,
 *       expiry), in a chain of the starter's shape (stateless, no CSRF, form login, logout or
 *       request cache).</li>
 * </ul>
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({BootBaseline.Documents.class, BootBaseline.Secured.class})
class BootBaseline {
  /**
   * Starts it on any port, on acme's database (a pool of {@code poolSize}) and the harness's S3
   * client; secured for tokens of {@code issuer} (keys at {@code jwkSetUri}) unless that is null.
   */
  static ConfigurableApplicationContext start(String jdbcUrl, String user, String password, int poolSize,
      S3Client s3, @Nullable URI issuer, @Nullable URI jwkSetUri) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("server.port", "0");
    p.put("baseline.jdbc-url", jdbcUrl);
    p.put("baseline.user", user);
    p.put("baseline.password", password);
    p.put("baseline.pool-size", Integer.toString(poolSize));
    p.put("spring.flyway.enabled", "false"); // the table is there; Boot's Flyway must not touch acme's database
    boolean secured = issuer != null && jwkSetUri != null;
    if (secured) {
      p.put("baseline.issuer", issuer.toString());
      p.put("baseline.jwk-set-uri", jwkSetUri.toString());
    }
    p.put("spring.autoconfigure.exclude", String.join(",", excluded(secured)));
    return new SpringApplicationBuilder(BootBaseline.class)
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("s3Client", s3))
        .properties(p)
        .run();
  }

  /** The secured baseline's chain: Spring Security's resource server for one issuer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty("baseline.jwk-set-uri")
  static class Secured {
    @Bean
    SecurityFilterChain baselineChain(HttpSecurity http, Environment env) throws Exception {
      NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(env.getRequiredProperty("baseline.jwk-set-uri"))
          .build();
      decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(env.getRequiredProperty("baseline.issuer")));
      http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder)))
          .sessionManagement(sm -> sm.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .csrf(AbstractHttpConfigurer::disable)
          .formLogin(AbstractHttpConfigurer::disable)
          .httpBasic(AbstractHttpConfigurer::disable)
          .logout(AbstractHttpConfigurer::disable)
          .requestCache(AbstractHttpConfigurer::disable);
      return http.build();
    }
  }

  /**
   * The pool: HikariCP as Boot's own JDBC auto-configuration would make it (the documents example
   * has no spring-boot-jdbc, its data source being TenantKit's), the size TenantKit gives acme.
   */
  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(Environment env) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(env.getRequiredProperty("baseline.jdbc-url"));
    hikari.setUsername(env.getRequiredProperty("baseline.user"));
    hikari.setPassword(env.getRequiredProperty("baseline.password"));
    hikari.setMaximumPoolSize(Integer.parseInt(env.getRequiredProperty("baseline.pool-size")));
    return new HikariDataSource(hikari);
  }

  /**
   * The auto-configurations left out: every one of TenantKit's on the class path (the documents
   * example's dependencies put them there), and unless {@code secured} every one of Spring
   * Security's.
   */
  static TreeSet<String> excluded(boolean secured) {
    TreeSet<String> out = new TreeSet<>();
    try {
      for (URL url : Collections.list(BootBaseline.class.getClassLoader().getResources(
          "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))) {
        try (InputStream in = url.openStream()) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String name = line.strip();
            if (name.startsWith("dev.tenantkit.") || (!secured && name.contains(".security."))) {
              out.add(name);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (out.stream().noneMatch(n -> n.startsWith("dev.tenantkit.")) || (!secured && out.stream().noneMatch(n ->
        n.contains(".security.")))) {
      throw new IllegalStateException("the baseline found no TenantKit or Spring Security auto-configuration to "
          + "leave out: " + out);
    }
    return out;
  }

  /** The document store's read and upload for acme, on Boot's pool and the raw S3 client. */
  @RestController
  static class Documents {
    private final DataSource dataSource;
    private final S3Client s3;

    Documents(DataSource dataSource, S3Client s3) {
      this.dataSource = dataSource;
      this.s3 = s3;
    }

    @GetMapping("/documents/{id}")
    Document get(@PathVariable("id") String id) throws SQLException {
      UUID uuid = DocumentStore.parseId(id);
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement(
              "SELECT id, name, content_type, size, created_at FROM documents WHERE id = ?")) {
        s.setObject(1, uuid);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no document with that id");
          }
          return new Document(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
              rs.getTimestamp(5).toInstant());
        }
      }
    }

    @PostMapping("/documents")
    ResponseEntity<Document> create(@RequestParam("name") String name,
        jakarta.servlet.http.HttpServletRequest request) throws IOException, SQLException {
      byte[] content;
      try (InputStream in = request.getInputStream()) {
        content = in.readNBytes(DocumentStore.MAX_BYTES + 1);
      }
      Document doc = new Document(UUID.randomUUID(), name, "text/plain", content.length, Instant.now());
      LoadTarget.uploadAsAcme(dataSource, s3, doc.id(), name, content, doc.createdAt());
      return ResponseEntity.created(URI.create("/documents/" + doc.id())).body(doc);
    }
  }
}
