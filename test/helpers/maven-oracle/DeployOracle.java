package marque.oracle;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * A Maven core extension (-Dmaven.ext.class.path) that prints, once Maven has read the reactor, each project's
 * pom, coordinates, packaging and whether it is deployed. Maven builds each project's model itself: parents,
 * pluginManagement, inherited=false, properties, profiles and the lifecycle's deploy:deploy binding. The rule is
 * the CycloneDX Maven plugin's (BaseCycloneDxMojo.isDeployable): a project is deployed when one execution of
 * maven-deploy-plugin's deploy goal, nexus-staging-maven-plugin's deploy goal or central-publishing-maven-plugin's
 * publish goal is not skipped; the skip is the execution's parameter (skip, skipNexusStagingDeployMojo,
 * skipPublishing), else the property of the same meaning. The two Sonatype plugins are build extensions that
 * add their execution when Maven starts; offline they are stubs, so that execution is added here when the
 * plugin says extensions=true and has none of its own. It prints each project's direct dependencies too.
 */
public class DeployOracle extends AbstractMavenLifecycleParticipant {
  @Override
  public void afterProjectsRead(MavenSession session) {
    for (MavenProject p : session.getProjects()) {
      System.out.println("MARQUE-ORACLE\t" + p.getFile() + "\t" + p.getGroupId() + ":" + p.getArtifactId() + ":" + p.getVersion() + "\t" + p.getPackaging() + "\t" + deployed(p));
      // The project's direct dependencies as Maven's model has them: inherited from its parents, managed, interpolated.
      for (Dependency d : p.getDependencies()) {
        System.out.println("MARQUE-DEPENDENCY\t" + p.getFile() + "\t" + d.getGroupId() + ":" + d.getArtifactId() + "\t" + d.getVersion() + "\t" + d.getScope() + "\t" + d.isOptional() + "\t" + d.getType());
      }
    }
  }

  static boolean deployed(MavenProject p) {
    return runs(p, "org.apache.maven.plugins:maven-deploy-plugin", "deploy", "skip", "maven.deploy.skip")
        || runs(p, "org.sonatype.plugins:nexus-staging-maven-plugin", "deploy", "skipNexusStagingDeployMojo", "skipNexusStagingDeployMojo")
        || runs(p, "org.sonatype.central:central-publishing-maven-plugin", "publish", "skipPublishing", "skipPublishing");
  }

  /** Whether one execution of the plugin's goal is not skipped. */
  static boolean runs(MavenProject p, String key, String goal, String parameter, String property) {
    Plugin plugin = p.getPlugin(key);
    if (plugin == null) return false;
    String byProperty = System.getProperty(property, p.getProperties().getProperty(property));
    List<PluginExecution> executions = new ArrayList<>(plugin.getExecutions());
    if (plugin.isExtensions() && executions.stream().noneMatch(e -> e.getGoals().contains(goal))) {
      PluginExecution added = new PluginExecution();
      added.setId("injected");
      added.addGoal(goal);
      added.setConfiguration(plugin.getConfiguration());
      executions.add(added);
    }
    for (PluginExecution e : executions) {
      if (!e.getGoals().contains(goal)) continue;
      Xpp3Dom config = (Xpp3Dom) e.getConfiguration();
      Xpp3Dom value = config == null ? null : config.getChild(parameter);
      String skip = value != null ? value.getValue() : byProperty;
      if (!Boolean.parseBoolean(skip)) return true;
    }
    return false;
  }
}
