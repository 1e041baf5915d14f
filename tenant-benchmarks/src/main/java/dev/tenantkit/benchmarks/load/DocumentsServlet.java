package dev.tenantkit.benchmarks.load;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * The documents endpoints the load runs against, the same code over either backend: GET
 * {@code /documents/{id}} (one database read) and POST {@code /documents?name=...} (an S3 put and
 * a database insert). Every answer names the tenant its row belongs to (the row's
 * {@code tenant_id}), so the load can tell an answer carrying another tenant's data. A backend
 * failure (the database restarting, S3 down) is a 503 problem.
 */
final class DocumentsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** A document as the backend found or wrote it: its name and the tenant its row belongs to. */
  record Row(String id, String name, String tenant) {
    String json() {
      return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"tenant\":\"" + tenant + "\"}";
    }
  }

  /** What the servlet asks of its backend: TenantKit's document store, or the baseline's raw calls. */
  interface Backend {
    Optional<Row> find(UUID id) throws Exception;

    Row create(String name, byte[] content) throws Exception;
  }

  private final transient Backend backend;

  DocumentsServlet(Backend backend) {
    this.backend = backend;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    UUID id;
    try {
      id = UUID.fromString(path.substring(path.lastIndexOf('/') + 1));
    } catch (IllegalArgumentException e) {
      write(resp, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not found\"}");
      return;
    }
    try {
      Optional<Row> row = backend.find(id);
      if (row.isEmpty()) {
        write(resp, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not found\"}");
      } else {
        write(resp, 200, "application/json", row.get().json());
      }
    } catch (Exception e) {
      unavailable(resp);
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String name = req.getParameter("name");
    byte[] content = req.getInputStream().readAllBytes();
    try {
      write(resp, 201, "application/json", backend.create(name, content).json());
    } catch (Exception e) {
      unavailable(resp);
    }
  }

  private static void unavailable(HttpServletResponse resp) throws IOException {
    resp.setHeader("Retry-After", "1");
    write(resp, 503, "application/problem+json", "{\"status\":503,\"title\":\"Service unavailable\"}");
  }

  private static void write(HttpServletResponse resp, int status, String type, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType(type);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
