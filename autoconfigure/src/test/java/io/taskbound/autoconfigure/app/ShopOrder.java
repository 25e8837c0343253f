package io.taskbound.autoconfigure.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An application's own entity, mapped beside the job store's. */
@Entity
@Table(name = "shop_order")
public class ShopOrder {

    @Id
    private Long id;

    private String item;

    protected ShopOrder() {}

    public ShopOrder(Long id, String item) {
        this.id = id;
        this.item = item;
    }

    public Long getId() {
        return id;
    }

    public String getItem() {
        return item;
    }
}
