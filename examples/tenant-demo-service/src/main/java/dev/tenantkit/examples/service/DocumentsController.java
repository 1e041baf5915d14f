package dev.tenantkit.examples.service;

import dev.tenantkit.examples.documents.Document;
import dev.tenantkit.examples.documents.DocumentRejectedException;
import dev.tenantkit.examples.documents.DocumentStore;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The documents API. No tenant appears in any signature: the tenant filter has resolved it from
 * the subdomain, checked the token against it and opened its scope, and TenantKit routes the
 * database and storage calls to it.
 */
@RestController
class DocumentsController {
  private final DocumentStore documents;

  DocumentsController(DocumentStore documents) {
    this.documents = documents;
  }

  @GetMapping("/health")
  Map<String, String> health() {
    return Map.of("status", "up");
  }

  /** Upload: the body is the content, {@code name} the file name, the Content-Type its type. */
  @PostMapping("/documents")
  ResponseEntity<Document> create(@RequestParam("name") String name, HttpServletRequest request) throws IOException {
    byte[] content;
    try (InputStream in = request.getInputStream()) {
      content = in.readNBytes(DocumentStore.MAX_BYTES + 1); // never buffer more than the limit
    }
    Document doc = documents.create(name, request.getContentType(), content);
    return ResponseEntity.created(URI.create("/documents/" + doc.id())).body(doc);
  }

  @GetMapping("/documents")
  List<Document> list() {
    return documents.list();
  }

  @GetMapping("/documents/{id}")
  Document get(@PathVariable("id") String id) {
    return documents.find(DocumentStore.parseId(id)).orElseThrow(DocumentsController::notFound);
  }

  /** A short-lived presigned URL to the content in the tenant's bucket or prefix. */
  @GetMapping("/documents/{id}/download")
  Map<String, String> download(@PathVariable("id") String id) {
    return Map.of("url", documents.downloadUrl(DocumentStore.parseId(id)).orElseThrow(DocumentsController::notFound)
        .toString());
  }

  /** Deleting needs the {@code documents/delete} scope in the tenant's token (Spring Security's method security). */
  @DeleteMapping("/documents/{id}")
  @PreAuthorize("hasAuthority('SCOPE_documents/delete')")
  ResponseEntity<Void> delete(@PathVariable("id") String id) {
    if (!documents.delete(DocumentStore.parseId(id))) {
      throw notFound();
    }
    return ResponseEntity.noContent().build();
  }

  private static DocumentRejectedException notFound() {
    // The same answer for "another tenant's document" and "no such document": no oracle.
    return new DocumentRejectedException(404, "no such document", "no document with that id");
  }

  @ExceptionHandler(DocumentRejectedException.class)
  ResponseEntity<ProblemDetail> rejected(DocumentRejectedException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
    problem.setTitle(e.title());
    return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }
}
