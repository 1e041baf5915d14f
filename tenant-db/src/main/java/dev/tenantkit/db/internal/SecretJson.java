package dev.tenantkit.db.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tenantkit.db.DbCredentials;
import dev.tenantkit.db.TenantDbException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Reads {@code username} and {@code password} from an RDS secret's JSON, naming only fields in errors. */
public final class SecretJson {
  private static final JsonFactory JSON = new JsonFactory();

  private SecretJson() {}

  /**
   * The credentials in {@code json}.
   *
   * @param arn names the secret in error messages (never its contents)
   */
  public static DbCredentials parse(String json, String arn) throws TenantDbException {
    @Nullable String user = null;
    @Nullable String password = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw invalid(arn, "is not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("username".equals(field) || "password".equals(field)) {
          if (value != JsonToken.VALUE_STRING) {
            throw invalid(arn, "field \"" + field + "\" is not a string");
          }
          if ("username".equals(field)) {
            user = p.getText();
          } else {
            password = p.getText();
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw invalid(arn, "is not a JSON object");
      }
    } catch (IOException e) {
      // The parser's message may quote the secret's text: leave it out.
      throw invalid(arn, "is not valid JSON (at " + e.getClass().getSimpleName() + ")");
    }
    if (user == null || user.isEmpty()) {
      throw invalid(arn, "has no \"username\" field");
    }
    if (password == null || password.isEmpty()) {
      throw invalid(arn, "has no \"password\" field");
    }
    return new DbCredentials(user, password);
  }

  private static TenantDbException invalid(String arn, String what) {
    return TenantDbException.of(TenantDbException.Reason.CREDENTIALS_FAILED, null,
        "secret " + arn + " " + what + "; an RDS secret holds {\"username\": ..., \"password\": ...}");
  }
}
