package dev.tenantkit.spring.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the shared, row-level-secured notes table. */
@Entity
@Table(name = "notes")
public class Note {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @jakarta.persistence.Column(name = "tenant_id")
  String tenantId;

  String body;

  protected Note() {}

  Note(String tenantId, String body) {
    this.tenantId = tenantId;
    this.body = body;
  }
}
