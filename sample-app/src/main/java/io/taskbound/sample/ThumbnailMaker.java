package io.taskbound.sample;

import io.taskbound.Bound;
import io.taskbound.Job;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Writes thumbnails to disk: blocking file I/O, so it runs on the small platform pool of the disk lane. */
@Component
public class ThumbnailMaker {

    private final Path directory;

    public ThumbnailMaker(@Value("${pressroom.thumbnail-dir:${java.io.tmpdir}/pressroom-thumbnails}") Path directory) {
        this.directory = directory;
    }

    @Job(name = "thumbnails.make", bound = Bound.DISK)
    public String make(String name, int width, int height) throws IOException {
        if (width < 1 || height < 1 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("Thumbnail size must be 1..4096 pixels, was " + width + "x" + height);
        }
        BufferedImage source = new BufferedImage(width * 4, height * 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D paint = source.createGraphics();
        paint.setPaint(new GradientPaint(0, 0, Color.ORANGE, width * 4f, height * 4f, Color.DARK_GRAY));
        paint.fillRect(0, 0, width * 4, height * 4);
        paint.dispose();
        BufferedImage thumbnail = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D scale = thumbnail.createGraphics();
        scale.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        scale.drawImage(source, 0, 0, width, height, null);
        scale.dispose();
        Files.createDirectories(directory);
        Path file = directory.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
        ImageIO.write(thumbnail, "png", file.toFile());
        return file.toString();
    }
}
