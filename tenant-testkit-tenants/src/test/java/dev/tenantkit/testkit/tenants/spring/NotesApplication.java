package dev.tenantkit.testkit.tenants.spring;

import dev.tenantkit.core.TenantContext;
import dev.tenantkit.storage.PutOptions;
import dev.tenantkit.storage.TenantStorageClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A small notes service on the starter, with no TenantKit configuration or beans of its own. */
@SpringBootApplication(proxyBeanMethods = false)
public class NotesApplication {

  @RestController
  static class Notes {
    private final DataSource dataSource;
    private final TenantStorageClient storage;

    Notes(DataSource dataSource, TenantStorageClient storage) {
      this.dataSource = dataSource;
      this.storage = storage;
    }

    @PostMapping("/notes")
    void add(@RequestBody String body) throws SQLException {
      try (Connection c = dataSource.getConnection();
          PreparedStatement p = c.prepareStatement("INSERT INTO notes (tenant_id, body) VALUES (?, ?)")) {
        p.setString(1, TenantContext.require().id().value());
        p.setString(2, body);
        p.executeUpdate();
      }
    }

    @GetMapping("/notes")
    List<String> list() throws SQLException {
      List<String> out = new ArrayList<>();
      try (Connection c = dataSource.getConnection();
          PreparedStatement p = c.prepareStatement("SELECT body FROM notes ORDER BY id");
          ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }

    /** The verified token, as a plain parameter (no Spring Security annotation). */
    @GetMapping("/me")
    String me(dev.tenantkit.auth.VerifiedPrincipal principal) {
      return principal.tenant().id() + ":" + principal.subject();
    }

    @PostMapping("/files")
    void put(@RequestParam("name") String name, @RequestBody String body) {
      storage.current().put("files/" + name, body.getBytes(StandardCharsets.UTF_8), PutOptions.none());
    }

    @GetMapping("/files")
    String get(@RequestParam("name") String name) {
      return new String(storage.current().get("files/" + name), StandardCharsets.UTF_8);
    }
  }
}
